from . import test_completion
from . import test_service_ticket
