from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_responsible_id = fields.Many2one(
        related="company_id.construction_responsible_id", readonly=False,
        domain="[('share', '=', False), ('company_ids', 'in', company_id)]",
    )
