"""Event handlers of construction_rental, one module per event family; declared to the engine in
models/construction_sync_handler.py."""

from . import equipment
from . import rental
