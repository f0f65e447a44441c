from odoo import api, models

from ..publishers import account_move, partner


class ConstructionSyncPublisher(models.AbstractModel):
    _inherit = "construction.sync.publisher"

    @api.model
    def _publisher_classes(self):
        return super()._publisher_classes() + partner.PUBLISHERS + account_move.PUBLISHERS
