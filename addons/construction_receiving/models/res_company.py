from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_receipt_tolerance = fields.Float(
        string="Over-Delivery Tolerance (%)", digits=(5, 2), default=0.0,
        help="How much more than ordered a site delivery may bring on a purchase line, in % of the ordered "
        "quantity (bulk material: concrete, aggregate). Beyond it the delivery ticket is refused.",
    )

    _sql_constraints = [
        ("construction_receipt_tolerance_range",
         "CHECK(construction_receipt_tolerance >= 0 AND construction_receipt_tolerance <= 100)",
         "The over-delivery tolerance must lie between 0 and 100 %."),
    ]
