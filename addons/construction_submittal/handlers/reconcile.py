"""The snapshot event types of this addon's object types (reconciliation, see reconcile/)."""

from odoo.addons.construction_sync.handlers.reconcile import snapshot_handler

from ..reconcile.submittal import SubmittalSpec

HANDLERS = [snapshot_handler(SubmittalSpec, __name__)]
