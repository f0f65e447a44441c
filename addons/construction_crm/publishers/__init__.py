"""Outbound event types of construction_crm; declared in models/construction_sync_publisher.py."""

from . import project
