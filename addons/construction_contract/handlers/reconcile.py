"""The snapshot event types of this addon's object types (reconciliation, see reconcile/)."""

from odoo.addons.construction_sync.handlers.reconcile import snapshot_handler

from ..reconcile.contract import CommitmentLineSpec, PayApplicationSpec

HANDLERS = [snapshot_handler(CommitmentLineSpec, __name__), snapshot_handler(PayApplicationSpec, __name__)]
