from odoo import fields, models

TIME_KINDS = [("rent", "Time on Rent"), ("pause", "Pause"), ("hours", "Engine Hours")]


class ConstructionRentalBillingLine(models.Model):
    """One line of a rental billing, and of its invoice: a quantity in a unit at a rate, with an
    amount that is exactly their product rounded half-up to the cent. Time lines carry the key
    of the time component they bill (construction.rental.line._time_components), so the next
    run bills only the difference with the quantities billed here; charge lines carry their
    charge, billed once."""

    _name = "construction.rental.billing.line"
    _description = "Rental Billing Line"
    _order = "billing_id, sequence, id"

    billing_id = fields.Many2one("construction.rental.billing", required=True, index=True, ondelete="cascade")
    line_id = fields.Many2one(related="billing_id.line_id")
    company_id = fields.Many2one(related="billing_id.company_id", store=True)
    currency_id = fields.Many2one(related="billing_id.currency_id")
    sequence = fields.Integer()
    kind = fields.Selection(TIME_KINDS + [("fuel", "Fuel Surcharge"), ("damage", "Damage"), ("other", "Other")],
                            required=True)
    key = fields.Char(help="The time component billed (e.g. rent, pause:<start>, rent:week); empty for a charge.")
    unit = fields.Selection([("hour", "Hours"), ("day", "Days"), ("week", "Weeks"), ("month", "Months (30 days)")],
                            help="Unit of a time line.")
    name = fields.Text(string="Description", required=True)
    product_id = fields.Many2one("product.product", required=True, ondelete="restrict")
    uom_id = fields.Many2one("uom.uom", string="Unit of Measure", required=True, ondelete="restrict")
    quantity = fields.Float(digits="Product Unit of Measure")
    price_unit = fields.Float(string="Rate", digits="Product Price")
    amount = fields.Monetary()
    charge_id = fields.Many2one("construction.rental.charge", index="btree_not_null", ondelete="set null")
    move_line_id = fields.Many2one("account.move.line", readonly=True, index="btree_not_null", ondelete="cascade")

    def unlink(self):
        # A charge whose invoice line is deleted is billed again by the next run; a billing with
        # no line left is gone, so its period is billed again (and the line's billed-until moves back).
        billings = self.billing_id
        self.charge_id.billing_id = False
        result = super().unlink()
        billings.exists().filtered(lambda billing: not billing.billing_line_ids).unlink()
        return result
