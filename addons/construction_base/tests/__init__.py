from . import test_cost_code
