from odoo import api, models

from ..reconcile import project


class ConstructionSyncReconcile(models.AbstractModel):
    _inherit = "construction.sync.reconcile"

    @api.model
    def _spec_classes(self):
        return super()._spec_classes() + project.SPECS

    @api.model
    def _control_amount_paths(self):
        # A platform's daily control total of projects sums the contract values it sent.
        return {**super()._control_amount_paths(), "project.upserted": "$.data.contract_value"}
