from odoo import fields, models


class AccountAnalyticLine(models.Model):
    """Rental billings of analytic cost lines. In its own file so rental work and the job-cost
    work on analytic lines merge without conflicts."""

    _inherit = "account.analytic.line"

    construction_rental_billing_ids = fields.One2many("construction.rental.billing", "analytic_line_id", readonly=True)

    def unlink(self):
        # As for invoice lines: deleting an internal rental cost bills that time again next run.
        self.sudo().construction_rental_billing_ids.unlink()
        return super().unlink()
