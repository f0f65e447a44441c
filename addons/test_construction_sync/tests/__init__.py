from . import test_event_types
from . import test_webhook_http
from . import test_processing
from . import test_actions
from . import test_concurrency
from . import test_cockpit
from . import test_hostile_input
