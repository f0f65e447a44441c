from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_receipt_tolerance = fields.Float(related="company_id.construction_receipt_tolerance",
                                                  readonly=False)
