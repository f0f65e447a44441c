from odoo import models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def _construction_compliance_check(self, action, company, operation):
        """Raises the UserError holding `operation` when this vendor, enrolled in `company`,
        misses a document a rule of `company` requires for `action`."""
        self.env["construction.vendor.compliance"]._of(self, company)._check(action, operation)
