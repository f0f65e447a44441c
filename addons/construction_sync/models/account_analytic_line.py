from odoo import fields, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    construction_rental_billing_ids = fields.One2many("construction.rental.billing", "analytic_line_id", readonly=True)

    def unlink(self):
        # As for invoice lines: deleting an internal rental cost bills that time again next run.
        self.sudo().construction_rental_billing_ids.unlink()
        return super().unlink()
