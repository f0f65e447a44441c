from odoo import api, models

from ..reconcile import rental


class ConstructionSyncReconcile(models.AbstractModel):
    _inherit = "construction.sync.reconcile"

    @api.model
    def _spec_classes(self):
        return super()._spec_classes() + rental.SPECS
