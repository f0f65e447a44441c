from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.construction_rental_line import RATE_BASES, RATE_FIELDS


class ConstructionRentalRateWizard(models.TransientModel):
    """Change Rate on a rental line: new rates from a moment on. The line is split there as the
    rental.rate_changed event splits it (construction.rental.line.action_change_rates), so the
    time before keeps the price it had and billed time is never re-priced."""

    _name = "construction.rental.rate.wizard"
    _description = "Change Rental Rate"

    line_id = fields.Many2one("construction.rental.line", required=True, readonly=True, ondelete="cascade")
    currency_id = fields.Many2one(related="line_id.currency_id")
    changed_at = fields.Datetime(string="New Rates From", required=True, default=fields.Datetime.now)
    billed_until = fields.Datetime(related="line_id.billed_until")
    rate_basis = fields.Selection(RATE_BASES, required=True)
    rate_hour = fields.Monetary(string="Hourly Rate")
    rate_day = fields.Monetary(string="Daily Rate")
    rate_week = fields.Monetary(string="Weekly Rate")
    rate_month = fields.Monetary(string="Monthly Rate")
    fuel_rate = fields.Monetary(string="Fuel Surcharge per Liter")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        line_id = values.get("line_id") or self.env.context.get("default_line_id")
        line = self.env["construction.rental.line"].browse(line_id)
        if line:
            for field in RATE_FIELDS:
                if field in fields_list and field not in values:
                    values[field] = line[field]
        return values

    def action_apply(self):
        self.ensure_one()
        rates = {field: self[field] for field in RATE_FIELDS}
        if not self.line_id._rate_differences(rates):
            raise UserError(_("%(line)s already has these rates.", line=self.line_id.display_name))
        line = self.line_id.action_change_rates(self.changed_at, rates)
        return {
            "type": "ir.actions.act_window",
            "res_model": "construction.rental.line",
            "res_id": line.id,
            "view_mode": "form",
            "target": "current",
        }
