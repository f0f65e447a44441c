from odoo import api, fields, models

# The product each kind of charge is invoiced as (its unit and its taxes).
CHARGE_PRODUCTS = {
    "fuel": "construction_rental.product_rental_fuel",
    "damage": "construction_rental.product_rental_damage",
    "other": "construction_rental.product_rental_other",
}


class ConstructionRentalCharge(models.Model):
    """A one-off amount on a rental besides time: damage found at return, fuel surcharges (created
    from usage reports), transport. Billed once, by the first run whose period end is after its
    date, as its own invoice line: its quantity (liters of fuel, 1 for a damage) at its unit
    price, the amount being their product rounded half-up to the cent, as on the invoice."""

    _name = "construction.rental.charge"
    _description = "Rental Charge"
    _order = "date, id"

    line_id = fields.Many2one("construction.rental.line", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    kind = fields.Selection([("damage", "Damage"), ("fuel", "Fuel Surcharge"), ("other", "Other")],
                            required=True, default="damage")
    name = fields.Char(string="Description", required=True)
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    price_unit = fields.Float(string="Unit Price", digits="Product Price")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    usage_id = fields.Many2one("construction.rental.usage", index="btree_not_null", ondelete="cascade", readonly=True)
    billing_id = fields.Many2one("construction.rental.billing", readonly=True, index="btree_not_null",
                                 ondelete="set null")

    _sql_constraints = [
        ("usage_uniq", "unique(usage_id)", "A usage report has one fuel surcharge."),
    ]

    @api.depends("quantity", "price_unit", "line_id.currency_id")
    def _compute_amount(self):
        for charge in self:
            charge.amount = charge.currency_id.round(charge.quantity * charge.price_unit)

    @api.model
    def _from_amount(self, vals):
        # An amount without a unit price (a damage of 420.00) is one unit at that price.
        if "amount" in vals and "price_unit" not in vals:
            vals.update(price_unit=vals["amount"], quantity=1.0)
        vals.pop("amount", None)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        charges = super().create([self._from_amount(dict(vals)) for vals in vals_list])
        charges.line_id._reopen_for_billing()
        return charges

    def write(self, vals):
        return super().write(self._from_amount(dict(vals)))

    def _product(self):
        self.ensure_one()
        return self.env.ref(CHARGE_PRODUCTS[self.kind])
