from odoo import _, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """Vendor bills of purchase lines on submittal hold are not posted. Own file, apart from
    account_move.py (retention), so the two merge without conflicts."""

    _inherit = "account.move"

    def _post(self, soft=True):
        # A vendor credit note for held material is welcome; only charges wait.
        for move in self.filtered(lambda m: m.move_type in ("in_invoice", "in_receipt")):
            held = move.invoice_line_ids.purchase_line_id.filtered("construction_submittal_hold")
            if held:
                name = move.name if move.name and move.name != "/" else move.ref or _("(draft)")
                if move.move_type == "in_receipt":
                    operation = _("Purchase receipt %(receipt)s cannot be posted", receipt=name)
                else:
                    operation = _("Vendor bill %(bill)s cannot be posted", bill=name)
                raise UserError(held._construction_hold_message(operation))
        return super()._post(soft)
