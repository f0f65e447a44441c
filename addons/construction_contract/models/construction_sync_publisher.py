from odoo import api, models

from ..publishers import change_order, commitment, pay_application, retention


class ConstructionSyncPublisher(models.AbstractModel):
    _inherit = "construction.sync.publisher"

    @api.model
    def _publisher_classes(self):
        return (super()._publisher_classes() + commitment.PUBLISHERS + change_order.PUBLISHERS
                + pay_application.PUBLISHERS + retention.PUBLISHERS)
