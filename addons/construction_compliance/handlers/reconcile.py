"""The snapshot event types of this addon's object types (reconciliation, see reconcile/)."""

from odoo.addons.construction_sync.handlers.reconcile import snapshot_handler

from ..reconcile.compliance import VendorComplianceSpec

HANDLERS = [snapshot_handler(VendorComplianceSpec, __name__)]
