"""The snapshot event types of this addon's object types (reconciliation, see reconcile/)."""

from odoo.addons.construction_sync.handlers.reconcile import snapshot_handler

from ..reconcile.rental import RentalLineSpec

HANDLERS = [snapshot_handler(RentalLineSpec, __name__)]
