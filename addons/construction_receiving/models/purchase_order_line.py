from odoo import fields, models


class PurchaseOrderLine(models.Model):
    """The certified amount of subcontract lines, what bills are matched against. Own file,
    apart from the contract's and the submittal's purchase line work."""

    _inherit = "purchase.order.line"

    construction_certified_amount = fields.Monetary(
        string="Certified to Date", currency_field="currency_id", copy=False,
        help="Work on this subcontract line certified complete by the project team, to date. A vendor bill "
        "beyond it (less what was billed before) is held for an accountant. A pay request approved in the "
        "project platform (subcontractor_invoice.received) certifies its amounts.",
    )

    def _construction_certify_billed(self):
        """Certifies at least what is billed on these lines, drafts included: the platform's
        approval of a pay request is the certification (see handlers/certified_invoice.py)."""
        for line in self:
            drafts, _bills = line._construction_draft_billed(self.env["account.move"])
            billed = line.construction_billed_amount + drafts
            if line.currency_id.compare_amounts(billed, line.construction_certified_amount) > 0:
                line.construction_certified_amount = billed
