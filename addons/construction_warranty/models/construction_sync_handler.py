from odoo import api, models

from ..handlers import completion, service_ticket


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        return super()._handler_classes() + completion.HANDLERS + service_ticket.HANDLERS
