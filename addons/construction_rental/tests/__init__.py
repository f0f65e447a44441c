from . import test_rental_billing
from . import test_rental_concurrency
from . import test_rental_downtime
from . import test_rental_events
from . import test_rental_invoice_lines
from . import test_rental_periods
from . import test_rental_rate_change
from . import test_outbound_events
