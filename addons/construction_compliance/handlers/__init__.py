"""Event handlers of construction_compliance; declared to the engine in
models/construction_sync_handler.py."""

from . import compliant_contract
from . import vendor_compliance
