from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    construction_labor_burden_percent = fields.Float(
        related="company_id.construction_labor_burden_percent", readonly=False)
    construction_labor_burden_hourly = fields.Monetary(
        related="company_id.construction_labor_burden_hourly", readonly=False, currency_field="currency_id")
    construction_overtime_multiplier = fields.Float(
        related="company_id.construction_overtime_multiplier", readonly=False)
    construction_double_time_multiplier = fields.Float(
        related="company_id.construction_double_time_multiplier", readonly=False)
