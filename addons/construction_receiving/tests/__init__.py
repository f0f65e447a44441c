from . import test_delivery_events
from . import test_three_way_match
