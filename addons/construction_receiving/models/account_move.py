from odoo import _, api, fields, models
from odoo.exceptions import UserError

MATCH_STATES = [
    ("none", "Not Matched"),
    ("matched", "Matched"),
    ("held", "Held"),
    ("approved", "Difference Approved"),
]


class AccountMove(models.Model):
    """Three-way match of vendor bills: each line on a purchase line is matched against what was
    received (goods, at the ordered price) or certified (subcontract lines, by amount), less what
    posted bills took before. A bill beyond it is held: it may be posted (the liability is real)
    but is not paid until an accountant approves the difference. Own file, apart from the other
    account.move work."""

    _inherit = "account.move"

    construction_match_state = fields.Selection(
        MATCH_STATES, string="Three-Way Match", compute="_compute_construction_match", store=True, index=True,
    )
    construction_match_difference = fields.Monetary(
        string="Beyond Received / Certified", compute="_compute_construction_match", store=True,
        currency_field="currency_id",
        help="What this bill charges beyond what was received (at the ordered price) or certified, and not "
        "billed before.",
    )
    construction_match_note = fields.Text(string="Match Details", compute="_compute_construction_match", store=True)
    construction_match_approved_amount = fields.Monetary(
        string="Approved Difference", currency_field="currency_id", readonly=True, copy=False, tracking=True,
    )
    construction_match_approved_uid = fields.Many2one("res.users", string="Difference Approved By", readonly=True,
                                                      copy=False, tracking=True)

    @api.depends("move_type", "state", "invoice_line_ids.quantity", "invoice_line_ids.price_subtotal",
                 "invoice_line_ids.purchase_line_id.qty_received",
                 "invoice_line_ids.purchase_line_id.construction_certified_amount",
                 "invoice_line_ids.purchase_line_id.construction_billed_amount",
                 "invoice_line_ids.purchase_line_id.invoice_lines.move_id.state",
                 "construction_match_approved_amount")
    def _compute_construction_match(self):
        for move in self:
            lines = move.invoice_line_ids.filtered("purchase_line_id") if move.move_type == "in_invoice" else []
            if not lines or move.state == "cancel":
                move.update({"construction_match_state": "none", "construction_match_difference": 0.0,
                             "construction_match_note": False})
                continue
            difference, notes = 0.0, []
            for line in lines:
                line_difference, note = line._construction_match()
                difference += line_difference
                if note:
                    notes.append(note)
            difference = move.currency_id.round(difference)
            if move.currency_id.compare_amounts(difference, 0.0) <= 0:
                state = "matched"
            elif move.currency_id.compare_amounts(difference, move.construction_match_approved_amount) <= 0:
                state = "approved"
            else:
                state = "held"
            move.update({"construction_match_state": state, "construction_match_difference": max(difference, 0.0),
                         "construction_match_note": "\n".join(notes) or False})

    def action_construction_approve_match(self):
        """An accountant accepts the difference (a price increase agreed by phone, material
        delivered but not yet booked in): the bill may be paid. The approval covers this amount
        only; a bill that grows beyond it is held again."""
        if not self.env.user.has_group("account.group_account_manager"):
            raise UserError(_("Only accountants (Invoicing administrators) approve a bill beyond what was received "
                              "or certified."))
        for move in self.filtered(lambda m: m.construction_match_state == "held"):
            difference = move.construction_match_difference
            move.write({"construction_match_approved_amount": difference,
                        "construction_match_approved_uid": self.env.user.id})
            move.message_post(body=_(
                "%(user)s approved paying %(amount)s beyond what was received or certified:\n%(details)s",
                user=self.env.user.name, amount=move.currency_id.format(difference),
                details=move.construction_match_note or "",
            ))
        return True

    def _construction_check_match(self, operation):
        for move in self.filtered(lambda m: m.construction_match_state == "held"):
            raise UserError(_(
                "%(operation)s: it charges %(amount)s beyond what was received or certified (%(details)s). An "
                "accountant approves the difference on the bill (Approve Difference), or the vendor sends a "
                "credit note.",
                operation=operation, amount=move.currency_id.format(move.construction_match_difference),
                details=(move.construction_match_note or "").replace("\n", "; "),
            ))

    @api.model
    def cockpit_held_bills(self, limit=80):
        """Bills waiting for an accountant in the user's companies, largest difference first:
        the cockpit's list. Empty for a user who may not read bills."""
        if not self.has_access("read"):
            return []
        bills = self.search([
            ("company_id", "in", self.env.companies.ids), ("construction_match_state", "=", "held"),
            ("state", "in", ("draft", "posted")), ("payment_state", "not in", ("paid", "in_payment", "reversed")),
        ], order="construction_match_difference desc, id", limit=limit)
        return [{
            "id": bill.id, "name": bill.name if bill.name and bill.name != "/" else False, "ref": bill.ref or False,
            "vendor": bill.partner_id.display_name, "project": bill.construction_project_id.display_name or False,
            "state": bill.state, "currency": bill.currency_id.name, "amount_untaxed": bill.amount_untaxed,
            "difference": bill.construction_match_difference, "details": bill.construction_match_note or "",
        } for bill in bills]
