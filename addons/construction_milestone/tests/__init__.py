from . import test_milestone_billing
