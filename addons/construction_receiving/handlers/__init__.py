"""Event handlers of construction_receiving; declared to the engine in
models/construction_sync_handler.py."""

from . import certified_invoice
from . import delivery
