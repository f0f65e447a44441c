from odoo import _, api, fields, models


class PurchaseOrderLine(models.Model):
    """Submittal links of purchase lines. In its own file, apart from purchase_order_line.py (job
    cost fields), so submittal and commitment work merge without conflicts."""

    _inherit = "purchase.order.line"

    construction_submittal_ids = fields.Many2many(
        "construction.submittal", "construction_submittal_purchase_line_rel", "purchase_line_id", "submittal_id",
        string="Submittals",
        help="Submittals that must be approved before this material is ordered, received or billed.",
    )
    construction_submittal_hold = fields.Boolean(
        string="On Submittal Hold", compute="_compute_construction_submittal_hold", store=True, index=True,
        help="Confirmed, but a linked submittal is no longer approved: receipts and vendor bills wait.",
    )

    @api.depends("construction_submittal_ids.is_approved", "order_id.state")
    def _compute_construction_submittal_hold(self):
        for line in self:
            line.construction_submittal_hold = line.order_id.state in ("purchase", "done") and any(
                not submittal.is_approved for submittal in line.construction_submittal_ids
            )

    def _construction_unapproved_submittals(self):
        return self.construction_submittal_ids.filtered(lambda s: not s.is_approved)

    def _construction_hold_message(self, operation):
        """The sentence refusing `operation` (e.g. "Receipt WH/IN/00004 cannot be validated")."""
        # env._ rather than _: inside a generator _ cannot find the language.
        lines = "; ".join(
            self.env._("%(line)s on %(order)s waits for %(submittals)s", line=line.name, order=line.order_id.name,
                       submittals=line._construction_unapproved_submittals()._describe_block())
            for line in self
        )
        return _("%(operation)s: %(lines)s. It is released when a new revision is approved.",
                 operation=operation, lines=lines)
