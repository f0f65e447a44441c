from odoo import api, models

from ..handlers import certified_invoice, delivery


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _handler_classes(self):
        # The subcontractor invoice event also certifies what it bills (handlers/certified_invoice.py).
        classes = [certified_invoice.REPLACES.get(cls, cls) for cls in super()._handler_classes()]
        return classes + delivery.HANDLERS
