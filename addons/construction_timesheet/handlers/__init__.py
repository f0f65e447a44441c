"""Event handlers of construction_timesheet, one module per event family; declared to the engine
in models/construction_sync_handler.py."""

from . import employee
from . import timesheet
