from odoo import _, models
from odoo.exceptions import UserError


class AccountPaymentRegister(models.TransientModel):
    """Paying vendor bills (Register Payment, one bill or many) waits for the vendor's compliance:
    its insurance where a rule holds payments, and the lien waivers of subcontractor bills."""

    _inherit = "account.payment.register"

    def _create_payments(self):
        bills = self.line_ids.move_id.filtered(lambda m: m.move_type == "in_invoice")
        Waiver = self.env["construction.lien.waiver"]
        for bill in bills:
            operation = _("Bill %(bill)s cannot be paid", bill=bill.ref or bill.name)
            bill.partner_id._construction_compliance_check("payment", bill.company_id, operation)
            # One bill: what this payment pays (maybe a part); several: each bill's balance.
            amount = self.amount if len(bills) == 1 else bill.amount_residual
            problems = Waiver._payment_problems(bill, amount)
            if problems:
                raise UserError(self.env["construction.vendor.compliance"]._of(
                    bill.partner_id, bill.company_id)._hold_message(operation, problems))
        return super()._create_payments()
