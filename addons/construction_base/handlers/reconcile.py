"""Reconciliation's inbound event types this addon declares: control totals (every construction
addon's events are counted) and the snapshots of projects."""

from odoo.addons.construction_sync.handlers.reconcile import ControlTotals, snapshot_handler

from ..reconcile.project import ProjectSpec


class ControlTotalsReported(ControlTotals):
    pass


HANDLERS = [ControlTotalsReported, snapshot_handler(ProjectSpec, __name__)]
