from odoo import api, fields, models


class MaintenanceEquipment(models.Model):
    """A machine of the fleet, owned or rented in from a vendor (the equipment's own `partner_id`),
    with its list rates. A rental line copies the rates when it is created: they are the terms of
    that contract, so a later price list change never re-prices rentals already out."""

    _inherit = "maintenance.equipment"

    construction_ownership = fields.Selection(
        [("owned", "Owned"), ("rented_in", "Rented In")], string="Ownership", default="owned", tracking=True,
    )
    construction_currency_id = fields.Many2one(related="company_id.currency_id", string="Rate Currency")
    rate_hour = fields.Monetary(string="Hourly Rate", currency_field="construction_currency_id")
    rate_day = fields.Monetary(string="Daily Rate", currency_field="construction_currency_id")
    rate_week = fields.Monetary(string="Weekly Rate", currency_field="construction_currency_id")
    rate_month = fields.Monetary(
        string="Monthly Rate", currency_field="construction_currency_id", help="A rental month is 30 days.",
    )
    ownership_cost_rate = fields.Monetary(
        string="Ownership Cost per Day", currency_field="construction_currency_id",
        help="What a day of this owned machine costs the company (depreciation, insurance, upkeep): "
        "the daily rate of internal charges to projects.",
    )
    rental_line_ids = fields.One2many("construction.rental.line", "equipment_id", string="Rental Lines")
    rental_line_count = fields.Integer(compute="_compute_rental_line_count")

    @api.depends("rental_line_ids")
    def _compute_rental_line_count(self):
        counts = dict(self.env["construction.rental.line"]._read_group(
            [("equipment_id", "in", self.ids)], ["equipment_id"], ["__count"],
        ))
        for equipment in self:
            equipment.rental_line_count = counts.get(equipment, 0)

    def action_view_rental_lines(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("construction_rental.construction_rental_line_action")
        action["domain"] = [("equipment_id", "=", self.id)]
        action["context"] = {"default_equipment_id": self.id}
        return action
