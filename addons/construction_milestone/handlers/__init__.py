"""Event handlers of construction_milestone; declared to the engine in models/construction_sync_handler.py."""

from . import milestone
