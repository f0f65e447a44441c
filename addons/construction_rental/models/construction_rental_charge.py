from odoo import api, fields, models


class ConstructionRentalCharge(models.Model):
    """A one-off amount on a rental besides time: damage found at return, fuel surcharges (created
    from usage reports), transport. Billed once, by the first run whose period end is after its date."""

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
    amount = fields.Monetary(required=True)
    usage_id = fields.Many2one("construction.rental.usage", index="btree_not_null", ondelete="cascade", readonly=True)
    billing_id = fields.Many2one("construction.rental.billing", readonly=True, index="btree_not_null", ondelete="set null")

    _sql_constraints = [
        ("usage_uniq", "unique(usage_id)", "A usage report has one fuel surcharge."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        charges = super().create(vals_list)
        charges.line_id._reopen_for_billing()
        return charges
