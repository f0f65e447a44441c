from odoo import api, models

from ..handlers import reconcile, submittal


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        return super()._handler_classes() + submittal.HANDLERS + reconcile.HANDLERS
