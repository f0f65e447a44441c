from . import test_opportunity_event
from . import test_won_opportunity
