from odoo import api, models

from ..publishers import reconciliation


class ConstructionSyncPublisher(models.AbstractModel):
    _inherit = "construction.sync.publisher"

    @api.model
    def _publisher_classes(self):
        return super()._publisher_classes() + reconciliation.PUBLISHERS
