"""Event handlers of construction_warranty, one module per event family; declared to the engine in
models/construction_sync_handler.py."""

from . import completion
from . import service_ticket
