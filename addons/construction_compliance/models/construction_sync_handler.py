from odoo import api, models

from ..handlers import compliant_contract, reconcile, vendor_compliance


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        # The contract's commitment and invoice events wait for the vendor's compliance: their
        # handlers are replaced by subclasses checking it first (see handlers/compliant_contract.py).
        classes = [compliant_contract.REPLACES.get(cls, cls) for cls in super()._handler_classes()]
        return classes + vendor_compliance.HANDLERS + reconcile.HANDLERS
