from . import test_cost_code
from . import test_i18n
from . import test_activity_user
from . import test_outbound_events
from . import test_reconcile
