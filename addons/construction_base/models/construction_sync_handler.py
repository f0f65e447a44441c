from odoo import api, models

from ..handlers import partner, project, cost_code, reconcile


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        return (super()._handler_classes() + partner.HANDLERS + project.HANDLERS + cost_code.HANDLERS
                + reconcile.HANDLERS)
