from odoo import api, models

from ..handlers import budget, change_order, commitment, subcontractor_invoice, progress_billing, reconcile


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        return (super()._handler_classes() + change_order.HANDLERS + commitment.HANDLERS
                + subcontractor_invoice.HANDLERS + progress_billing.HANDLERS + budget.HANDLERS + reconcile.HANDLERS)
