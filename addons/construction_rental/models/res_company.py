from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # The company's contact's time zone, editable on the company form: rental billing periods
    # end at midnight in it and rental invoices show their moments in it (UTC when empty).
    construction_tz = fields.Selection(
        related="partner_id.tz", readonly=False, string="Time Zone",
        help="Rental billing periods end at midnight in this time zone and rental invoices show "
        "dispatch, return and pause moments in it. Empty: UTC.",
    )
