"""Event handlers, one small module per event family. Importing a module registers its handlers."""

from . import partner
from . import project
from . import cost_code
from . import change_order
from . import commitment
from . import subcontractor_invoice
from . import progress_billing
from . import equipment
from . import rental
from . import submittal
