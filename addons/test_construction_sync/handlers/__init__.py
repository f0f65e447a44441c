"""Test-only event handlers, one module per event family; declared to the engine in
models/construction_sync_handler.py. Their types are named test_*.* so that they can never clash
with an event type of a real addon installed in the same database."""

from . import contact
from . import site
