from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase


@tagged("post_install", "-at_install")
class TestRetentionRelease(FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.invoice = cls._document("out_invoice", cls.customer, 140000.0)
        cls.bill = cls._document("in_invoice", cls.subcontractor, 12345.67)

    @classmethod
    def _document(cls, move_type, partner, amount, retention=10.0):
        move = cls.env["account.move"].create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": "2026-10-31",
            "construction_project_id": cls.project.id, "retention_percent": retention,
            "invoice_line_ids": [Command.create({"name": "Progress", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.action_construction_apply_retention()
        move.action_post()
        return move

    def balances(self):
        self.env.flush_all()
        self.env["construction.retention.balance"].invalidate_model()
        rows = self.env["construction.retention.balance"].search([("project_id", "=", self.project.id)])
        return {(row.partner_id, row.side): (row.withheld, row.released, row.balance) for row in rows}

    def release(self, side, partner, amount=None, **context):
        wizard = self.env["construction.retention.release.wizard"].with_context(**context).create({
            "project_id": self.project.id, "partner_id": partner.id, "side": side, "date": "2026-11-30",
            "release_all": amount is None, "amount": amount or 0.0,
        })
        return wizard._release()

    def test_balances_per_project_partner_and_side(self):
        # 10 % of 12 345.67 = 1 234.567 -> 1 234.57.
        self.assertEqual(self.balances(), {
            (self.customer, "receivable"): (14000.0, 0.0, 14000.0),
            (self.subcontractor, "payable"): (1234.57, 0.0, 1234.57),
        })
        draft = self.invoice.copy()
        self.assertEqual(draft.state, "draft")
        self.assertEqual(self.balances()[(self.customer, "receivable")][2], 14000.0, "drafts hold nothing")

    def test_partial_then_full_release_to_the_customer(self):
        release = self.release("receivable", self.customer, 4000.01)
        self.assertEqual((release.move_type, release.state, release.amount_total), ("out_invoice", "posted", 4000.01))
        self.assertEqual(release.invoice_line_ids.construction_retention, "released")
        self.assertBalances(release, {"121500": -4000.01, "121000": 4000.01})
        self.assertEqual(self.balances()[(self.customer, "receivable")], (14000.0, 4000.01, 9999.99))
        with self.assertRaisesRegex(UserError, r"Cannot release .*10,000.00: only .*9,999.99 of retention is held"):
            self.release("receivable", self.customer, 10000.0)
        final = self.release("receivable", self.customer)
        self.assertEqual(final.amount_total, 9999.99)
        self.assertEqual(self.balances()[(self.customer, "receivable")], (14000.0, 14000.0, 0.0))
        with self.assertRaisesRegex(UserError, "Nothing to release"):
            self.release("receivable", self.customer)

    def test_release_to_the_subcontractor_is_a_bill(self):
        release = self.release("payable", self.subcontractor, 234.57)
        self.assertEqual((release.move_type, release.amount_total), ("in_invoice", 234.57))
        self.assertBalances(release, {"211500": 234.57, "211000": -234.57})
        self.assertEqual(self.balances()[(self.subcontractor, "payable")], (1234.57, 234.57, 1000.0))
        with self.assertRaisesRegex(UserError, "must be positive"):
            self.release("payable", self.subcontractor, -5.0)
        with self.assertRaisesRegex(UserError, "only .*1,000.00 of retention is held"):
            self.release("payable", self.subcontractor, 1000.01)

    def test_wizard_defaults_from_project_invoice_bill_and_balance_row(self):
        Wizard = self.env["construction.retention.release.wizard"]
        from_project = Wizard.with_context(active_model="project.project", active_id=self.project.id).new({})
        self.assertEqual((from_project.project_id, from_project.partner_id, from_project.side, from_project.held),
                         (self.project, self.customer, "receivable", 14000.0))
        from_bill = Wizard.with_context(active_model="account.move", active_id=self.bill.id).new({})
        self.assertEqual((from_bill.partner_id, from_bill.side, from_bill.held),
                         (self.subcontractor, "payable", 1234.57))
        self.env.flush_all()
        row = self.env["construction.retention.balance"].search(
            [("project_id", "=", self.project.id), ("side", "=", "payable")])
        action = row.action_release()
        from_row = Wizard.with_context(action["context"]).new({})
        self.assertEqual((from_row.partner_id, from_row.held), (self.subcontractor, 1234.57))

    def test_only_managers_release(self):
        self.env.flush_all()
        self.assertTrue(self.env["construction.retention.balance"].with_user(self.accountant).search([]))
        with self.assertRaises(AccessError):
            self.env["construction.retention.release.wizard"].with_user(self.accountant).create({
                "project_id": self.project.id, "partner_id": self.customer.id, "side": "receivable",
            })
        self.env["construction.retention.release.wizard"].with_user(self.finance_manager).create({
            "project_id": self.project.id, "partner_id": self.customer.id, "side": "receivable",
            "release_all": False, "amount": 100.0,
        })._release()
        self.assertEqual(self.balances()[(self.customer, "receivable")][2], 13900.0)
