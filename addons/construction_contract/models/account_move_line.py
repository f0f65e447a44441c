from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    construction_retention = fields.Selection(
        [("withheld", "Retention Withheld"), ("released", "Retention Released")],
        index="btree_not_null", copy=True,
        help="Set on the lines that move money into or out of the retention account.",
    )
