"""Outbound event types of construction_timesheet; declared in models/construction_sync_publisher.py."""

from . import payroll
