"""Event handlers of construction_contract, one module per event family; declared to the engine in
models/construction_sync_handler.py."""

from . import change_order
from . import commitment
from . import subcontractor_invoice
from . import progress_billing
from . import budget
