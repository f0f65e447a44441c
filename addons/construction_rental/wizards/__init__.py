from . import construction_rental_billing_wizard
from . import construction_rental_rate_wizard
