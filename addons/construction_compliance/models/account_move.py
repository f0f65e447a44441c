from odoo import _, models


class AccountMove(models.Model):
    """Vendor bills of non-compliant vendors are not posted. Own file, apart from the retention
    and submittal work on account.move, so they merge without conflicts."""

    _inherit = "account.move"

    def _post(self, soft=True):
        # A credit note from a non-compliant vendor lowers what is owed to it: always welcome.
        for move in self.filtered(lambda m: m.move_type in ("in_invoice", "in_receipt")):
            name = move.name if move.name and move.name != "/" else move.ref or _("(draft)")
            move.partner_id._construction_compliance_check(
                "bill", move.company_id, _("Vendor bill %(bill)s cannot be posted", bill=name))
        return super()._post(soft)
