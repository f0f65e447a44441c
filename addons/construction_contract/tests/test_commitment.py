from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase


@tagged("post_install", "-at_install")
class CommitmentCase(FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env.ref("construction_contract.product_subcontract_work").product_variant_id
        cls.order = cls.env["purchase.order"].create({
            "partner_id": cls.subcontractor.id, "construction_project_id": cls.project.id, "retention_percent": 10,
            "order_line": [
                Command.create({"product_id": cls.product.id, "name": "Masonry walls", "product_qty": 1,
                                "price_unit": 180000.0, "cost_code_id": cls.cc_masonry.id,
                                "taxes_id": [Command.clear()]}),
                Command.create({"product_id": cls.product.id, "name": "Block", "product_qty": 400,
                                "price_unit": 12.35, "cost_code_id": cls.cc_masonry.id,
                                "taxes_id": [Command.clear()]}),
            ],
        })
        cls.order.button_confirm()
        cls.walls, cls.block = cls.order.order_line

    def bill(self, amounts, post=True):
        """A subcontractor bill of `amounts` per purchase line, as the event handler builds it."""
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.subcontractor.id, "invoice_date": "2026-11-15",
            "construction_project_id": self.project.id, "retention_percent": self.order.retention_percent,
            "invoice_line_ids": [
                Command.create({**line._prepare_account_move_line(), "quantity": 1, "price_unit": amount})
                for line, amount in amounts
            ],
        })
        bill.action_construction_apply_retention()
        if post:
            bill.action_post()
        return bill


@tagged("post_install", "-at_install")
class TestCommitment(CommitmentCase):
    def test_lines_distribute_on_project_and_cost_code(self):
        expected = self.cc_masonry._analytic_distribution(self.project)
        self.assertEqual(self.walls.analytic_distribution, expected)

    def test_partial_bill_withholds_retention_and_tracks_billed_share(self):
        bill = self.bill([(self.walls, 45000.0), (self.block, 1235.0)])
        self.assertBalances(bill, {"600000": 46235.0, "211500": -4623.5, "211000": -41611.5})
        self.assertEqual(self.walls.construction_billed_amount, 45000.0)
        self.assertEqual(self.walls.qty_invoiced, 0.25)
        self.assertEqual(self.block.qty_invoiced, 100.0)
        self.assertEqual(self.order.invoice_status, "to invoice")

    def test_billing_beyond_commitment_is_refused(self):
        self.bill([(self.walls, 179999.99)])
        bill = self.bill([(self.walls, 0.02)], post=False)
        with self.assertRaisesRegex(UserError, "beyond the .*180,000.00 committed"):
            bill.action_post()
        self.assertEqual(bill.state, "draft")
        bill.invoice_line_ids.filtered("purchase_line_id").price_unit = 0.01
        bill.action_construction_apply_retention()
        bill.action_post()
        self.assertEqual(self.walls.construction_billed_amount, 180000.0)

    def test_refund_frees_the_commitment(self):
        first = self.bill([(self.walls, 180000.0)])
        refund = first._reverse_moves([{"invoice_date": "2026-11-20", "date": "2026-11-20"}], cancel=True)
        self.assertEqual(refund.state, "posted")
        self.assertEqual(self.walls.construction_billed_amount, 0.0)
        self.bill([(self.walls, 180000.0)])

    def test_create_bill_from_order_carries_project_and_retention(self):
        self.order.action_create_invoice()
        bill = self.order.invoice_ids
        self.assertEqual(bill.construction_project_id, self.project)
        self.assertEqual(bill.retention_percent, 10)
        self.assertEqual(bill.retention_amount, 18494.0)
        self.assertEqual(bill.amount_total, 166446.0)


@tagged("post_install", "-at_install")
class TestCommitmentChangeOrder(CommitmentCase):
    def _co(self, amount):
        return self.env["construction.change.order"].create({
            "number": "SCO-1", "title": "Extra lintels", "project_id": self.project.id, "kind": "commitment",
            "purchase_order_id": self.order.id,
            "line_ids": [
                Command.create({"cost_code_id": self.cc_masonry.id, "description": "Lintels", "amount": amount}),
            ],
        })

    def test_approval_adds_a_purchase_line_and_void_takes_it_back(self):
        before = self.order.amount_untaxed
        co = self._co(7250.5)
        co.with_user(self.finance_manager).action_approve()
        line = co.line_ids.purchase_line_id
        self.assertEqual(line.order_id, self.order)
        self.assertEqual((line.price_subtotal, line.cost_code_id), (7250.5, self.cc_masonry))
        self.assertEqual(self.order.amount_untaxed, before + 7250.5)
        self.assertEqual(self.project.revised_contract_value, 1000000.0, "commitment changes leave the contract alone")
        co.with_user(self.finance_manager).action_void()
        self.assertEqual(self.order.amount_untaxed, before)

    def test_deduction_lowers_the_commitment(self):
        co = self._co(-5000.0)
        co.with_user(self.finance_manager).action_approve()
        self.assertEqual(self.order.amount_untaxed, 180000.0 + 4940.0 - 5000.0)

    def test_void_after_billing_is_refused(self):
        co = self._co(1000.0)
        co.with_user(self.finance_manager).action_approve()
        self.bill([(co.line_ids.purchase_line_id, 400.0)])
        with self.assertRaisesRegex(UserError, "already billed"):
            co.with_user(self.finance_manager).action_void()
        self.assertEqual(co.state, "approved")
