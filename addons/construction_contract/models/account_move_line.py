from odoo import fields, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    construction_retention = fields.Selection(
        [("withheld", "Retention Withheld"), ("released", "Retention Released")],
        index="btree_not_null", copy=True,
        help="Set on the lines that move money into or out of the retention account.",
    )
    # Copied, so the reversal of a release gives the retention back to the same document.
    construction_retention_source_id = fields.Many2one(
        "account.move", string="Retention Of", index="btree_not_null", copy=True, readonly=True,
        ondelete="restrict",
        help="On a retention release line: the invoice or bill whose withheld retention it releases.",
    )
