from odoo import Command
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase


@tagged("post_install", "-at_install")
class TestRetentionLines(FinanceCase):
    def _bill(self, retention_percent, amounts):
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.subcontractor.id, "invoice_date": "2026-11-01",
            "construction_project_id": self.project.id, "retention_percent": retention_percent,
            "invoice_line_ids": [Command.create({"name": "Work", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]}) for amount in amounts],
        })
        bill.action_construction_apply_retention()
        return bill

    def test_bill_retention_credits_retention_payable(self):
        bill = self._bill(10, [1234.55, 100.00])
        # 10 % of 1334.55 = 133.455, rounded half-up to the cent.
        self.assertEqual(bill.retention_amount, 133.46)
        self.assertEqual(bill.amount_total, 1201.09)
        bill.action_post()
        self.assertBalances(bill, {"600000": 1334.55, "211500": -133.46, "211000": -1201.09})
        self.assertEqual(self.company.retention_payable_account_id.code, "211500")

    def test_reapplying_replaces_the_retention_line(self):
        bill = self._bill(10, [1000.0])
        bill.retention_percent = 5
        bill.action_construction_apply_retention()
        self.assertEqual(len(bill.invoice_line_ids.filtered("construction_retention")), 1)
        self.assertEqual(bill.retention_amount, 50.0)
        bill.retention_percent = 0
        bill.action_construction_apply_retention()
        self.assertFalse(bill.invoice_line_ids.filtered("construction_retention"))

    def test_customer_invoice_retention_debits_retention_receivable(self):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": "2026-11-01",
            "construction_project_id": self.project.id, "retention_percent": 10,
            "invoice_line_ids": [Command.create({"name": "Progress", "quantity": 1, "price_unit": 5000.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        invoice.action_construction_apply_retention()
        invoice.action_post()
        self.assertBalances(invoice, {"400000": -5000.0, "121500": 500.0, "121000": 4500.0})
        retention_line = invoice.line_ids.filtered("construction_retention")
        self.assertEqual(retention_line.analytic_distribution, {str(self.project.account_id.id): 100})
