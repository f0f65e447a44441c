from odoo import fields, models


class AccountMoveLine(models.Model):
    """Rental billing lines of invoice lines. In its own file (not account_move_line.py) so rental
    work and finance work on journal items merge without conflicts."""

    _inherit = "account.move.line"

    construction_rental_billing_line_ids = fields.One2many(
        "construction.rental.billing.line", "move_line_id", readonly=True)

    def unlink(self):
        # Through the ORM, not the database cascade, so each rental line's billed quantities,
        # billed-until and billed amount are recomputed and the next run bills that again.
        # Whoever may delete the accounting document may undo what it billed.
        self.sudo().construction_rental_billing_line_ids.unlink()
        return super().unlink()
