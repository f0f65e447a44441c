from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    retention_receivable_account_id = fields.Many2one(
        related="company_id.retention_receivable_account_id", readonly=False,
    )
    retention_payable_account_id = fields.Many2one(
        related="company_id.retention_payable_account_id", readonly=False,
    )
