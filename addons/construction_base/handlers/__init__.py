"""Event handlers of construction_base, one module per event family; declared to the engine in
models/construction_sync_handler.py."""

from . import partner
from . import project
from . import cost_code
