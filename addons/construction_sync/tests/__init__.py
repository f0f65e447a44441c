# The engine's tests that need no event type. Those that do (processing, approvals, actions,
# cockpit, concurrency, accepted deliveries) are in test_construction_sync, which declares
# test-only event types, as OCA's test_queue_job does for queue_job.
from . import test_install
from . import test_cockpit_tour
from . import test_signature
from . import test_schema
from . import test_event_types
from . import test_webhook_http
from . import test_actions
from . import test_strict_input
from . import test_flood
from . import test_gc_pause
from . import test_secrets
from . import test_mapping_form
from . import test_rate_limit
from . import test_alerts
from . import test_anomaly
from . import test_triage
from . import test_metrics
from . import test_outbound_registry
from . import test_trace_correlation
from . import test_cockpit_available
from . import test_outbound_sender
from . import test_cron_wake
from . import test_hourly_marks
