from odoo import _, models


class AccountPaymentRegister(models.TransientModel):
    _inherit = "account.payment.register"

    def _create_payments(self):
        for bill in self.line_ids.move_id.filtered(lambda m: m.move_type == "in_invoice"):
            bill._construction_check_match(_("Bill %(bill)s cannot be paid", bill=bill.ref or bill.name))
        return super()._create_payments()
