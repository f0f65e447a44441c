"""Event handlers of construction_crm; declared to the engine in models/construction_sync_handler.py."""

from . import opportunity
