from . import test_submittal
from . import test_hold_activity
from . import test_submittal_returns
from . import test_outbound_events
from . import test_reconcile_submittal
