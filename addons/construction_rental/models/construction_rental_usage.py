from odoo import api, fields, models


class ConstructionRentalUsage(models.Model):
    """A telematics reading for a machine on rent: engine hours worked since the previous report
    (a delta, not the hour meter), fuel put in, and the odometer/hour-meter reading as reported.

    Readings are facts and are always kept, even when they arrive late or fall outside the rental:
    `timing` says where they fall, and only readings while on rent count as billable engine hours.
    Fuel is surcharged whenever it was reported (refuelling after the return is normal)."""

    _name = "construction.rental.usage"
    _description = "Equipment Usage Report"
    _order = "reported_at desc, id desc"

    line_id = fields.Many2one("construction.rental.line", required=True, index=True, ondelete="cascade")
    equipment_id = fields.Many2one(related="line_id.equipment_id", store=True, index=True)
    project_id = fields.Many2one(related="line_id.project_id", store=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    reported_at = fields.Datetime(required=True)
    hours = fields.Float(string="Engine Hours", digits=(12, 2))
    fuel_liters = fields.Float(digits=(12, 2))
    odometer = fields.Float(digits=(12, 1), help="Meter reading as reported, for the history only.")
    timing = fields.Selection(
        [("on_rent", "On Rent"), ("before_dispatch", "Before Dispatch"), ("after_return", "After Return")],
        compute="_compute_timing", store=True,
    )
    charge_ids = fields.One2many("construction.rental.charge", "usage_id")

    _sql_constraints = [
        ("hours_positive", "CHECK(hours >= 0 AND fuel_liters >= 0)", "Hours and fuel cannot be negative."),
    ]

    @api.depends("reported_at", "line_id.dispatched_at", "line_id.returned_at")
    def _compute_timing(self):
        for usage in self:
            line = usage.line_id
            if not line.dispatched_at or usage.reported_at < line.dispatched_at:
                usage.timing = "before_dispatch"
            elif line.returned_at and usage.reported_at >= line.returned_at:
                usage.timing = "after_return"
            else:
                usage.timing = "on_rent"

    @api.model_create_multi
    def create(self, vals_list):
        usages = super().create(vals_list)
        usages._sync_fuel_charge()
        return usages

    def write(self, vals):
        result = super().write(vals)
        if {"fuel_liters", "reported_at", "line_id"} & set(vals):
            self._sync_fuel_charge()
        return result

    def _sync_fuel_charge(self):
        """One fuel surcharge per reading; a corrected reading corrects its charge while unbilled
        (a billed one stays as billed: correcting an invoice is the accountant's call)."""
        Charge = self.env["construction.rental.charge"]
        for usage in self:
            amount = usage.line_id.currency_id.round(usage.fuel_liters * usage.line_id.fuel_rate)
            charge = usage.charge_ids[:1]
            if charge.billing_id:
                continue
            if not amount:
                charge.unlink()
                continue
            values = {"line_id": usage.line_id.id, "kind": "fuel", "date": usage.reported_at,
                      "quantity": usage.fuel_liters, "price_unit": usage.line_id.fuel_rate,
                      "name": self.env._("Fuel surcharge: %(liters)s l", liters="%g" % usage.fuel_liters)}
            if charge:
                charge.write(values)
            else:
                Charge.create({**values, "usage_id": usage.id})
        self.line_id._reopen_for_billing()
