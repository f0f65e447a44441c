from . import test_compliance_rules
from . import test_lien_waivers
from . import test_compliance_events
from . import test_expiry
from . import test_reconcile_compliance
