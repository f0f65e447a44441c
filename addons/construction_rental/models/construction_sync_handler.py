from odoo import api, models

from ..handlers import equipment, reconcile, rental


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        return super()._handler_classes() + equipment.HANDLERS + rental.HANDLERS + reconcile.HANDLERS
