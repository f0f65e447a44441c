from . import test_rental_billing
from . import test_rental_concurrency
from . import test_rental_downtime
from . import test_rental_events
