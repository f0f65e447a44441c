from odoo import api, models

from ..reconcile import contract


class ConstructionSyncReconcile(models.AbstractModel):
    _inherit = "construction.sync.reconcile"

    @api.model
    def _spec_classes(self):
        return contract.spec_classes(super()._spec_classes())

    @api.model
    def _control_amount_paths(self):
        # A platform's daily control total of subcontractor invoices sums their invoiced amounts.
        return {**super()._control_amount_paths(), "subcontractor_invoice.received": "$.data.lines[*].amount"}
