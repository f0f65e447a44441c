from odoo import api, models

from ..handlers import milestone


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        return super()._handler_classes() + milestone.HANDLERS
