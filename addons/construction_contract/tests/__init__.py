from . import test_change_order
from . import test_commitment
from . import test_finance_events
from . import test_job_cost
from . import test_pay_application
from . import test_progress_billing_events
from . import test_retention_release
