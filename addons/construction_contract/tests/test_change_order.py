from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase


@tagged("post_install", "-at_install")
class TestChangeOrder(FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["construction.budget.line"].create([
            {"project_id": cls.project.id, "cost_code_id": cls.cc_concrete.id, "original_amount": 400000.0},
            {"project_id": cls.project.id, "cost_code_id": cls.cc_masonry.id, "original_amount": 250000.0},
        ])

    def _co(self, number, lines, kind="prime", **values):
        return self.env["construction.change.order"].with_user(self.accountant).create({
            "number": number, "title": "Change %s" % number, "project_id": self.project.id, "kind": kind,
            "line_ids": [Command.create({"cost_code_id": code.id, "description": "Line", "amount": amount,
                                         **({"budget_amount": budget} if budget is not None else {})})
                         for code, amount, budget in lines],
            **values,
        })

    def _budget(self, cost_code):
        return self.project.budget_line_ids.filtered(lambda b: b.cost_code_id == cost_code)

    def test_approved_prime_change_moves_contract_and_budget(self):
        co = self._co("CO-001", [(self.cc_concrete, 12500.25, 10000.10), (self.cc_masonry, -2500.00, None)])
        co.action_submit()
        self.assertEqual(self.project.revised_contract_value, 1000000.0, "a submitted change order moves nothing")
        co.with_user(self.finance_manager).action_approve()
        self.assertEqual(co.state, "approved")
        self.assertEqual(co.approved_by_id, self.finance_manager)
        self.assertEqual(self.project.approved_change_order_total, 10000.25)
        self.assertEqual(self.project.revised_contract_value, 1010000.25)
        self.assertEqual(self._budget(self.cc_concrete).change_amount, 10000.10)
        self.assertEqual(self._budget(self.cc_concrete).revised_amount, 410000.10)
        self.assertEqual(self._budget(self.cc_masonry).revised_amount, 247500.0, "budget change defaults to the amount")

    def test_void_reverses_exactly(self):
        first = self._co("CO-001", [(self.cc_concrete, 1000.01, None)])
        second = self._co("CO-002", [(self.cc_concrete, 333.33, None)])
        (first | second).with_user(self.finance_manager).action_approve()
        self.assertEqual(self.project.revised_contract_value, 1001333.34)
        second.with_user(self.finance_manager).action_void()
        self.assertEqual(second.state, "void")
        self.assertEqual(self.project.revised_contract_value, 1001000.01)
        self.assertEqual(self._budget(self.cc_concrete).revised_amount, 401000.01)

    def test_new_cost_code_gets_a_budget_line(self):
        co = self._co("CO-003", [(self.cc_project_only, 5000.0, None)])
        co.with_user(self.finance_manager).action_approve()
        budget = self._budget(self.cc_project_only)
        self.assertEqual((budget.original_amount, budget.change_amount, budget.revised_amount), (0.0, 5000.0, 5000.0))

    def test_only_managers_approve(self):
        co = self._co("CO-004", [(self.cc_concrete, 10.0, None)])
        with self.assertRaises(AccessError):
            co.with_user(self.accountant).action_approve()
        with self.assertRaises(AccessError):
            co.with_user(self.accountant).action_reject()

    def test_second_approval_is_refused(self):
        co = self._co("CO-005", [(self.cc_concrete, 10.0, None)])
        co.with_user(self.finance_manager).action_approve()
        with self.assertRaisesRegex(UserError, "already approved"):
            co.with_user(self.finance_manager).action_approve()
        self.assertEqual(self.project.revised_contract_value, 1000010.0)

    def test_closed_project_takes_no_change_orders(self):
        co = self._co("CO-006", [(self.cc_concrete, 10.0, None)])
        self.project.action_close_contract()
        with self.assertRaisesRegex(UserError, "is closed"):
            co.with_user(self.finance_manager).action_approve()
        with self.assertRaisesRegex(UserError, "is closed"):
            self._co("CO-007", [(self.cc_concrete, 10.0, None)])

    def test_rejected_changes_nothing_and_can_be_reworked(self):
        co = self._co("CO-008", [(self.cc_concrete, 10.0, None)])
        co.with_user(self.finance_manager).action_reject()
        self.assertEqual(self.project.revised_contract_value, 1000000.0)
        co.action_reset_to_draft()
        self.assertEqual(co.state, "draft")

    def test_cost_code_of_another_project_is_refused(self):
        other = self.env["project.project"].create({"name": "Other job"})
        with self.assertRaisesRegex(UserError, "belongs to project"):
            self.env["construction.change.order"].create({
                "number": "X", "title": "X", "project_id": other.id,
                "line_ids": [
                    Command.create({"cost_code_id": self.cc_project_only.id, "description": "x", "amount": 1}),
                ],
            })


@tagged("post_install", "-at_install")
class TestFinanceAccess(FinanceCase):
    def test_people_outside_construction_see_no_contracts(self):
        for model in ("construction.change.order", "construction.budget.line", "construction.job.cost",
                      "construction.cost.code"):
            with self.assertRaises(AccessError, msg=model):
                self.env[model].with_user(self.user_plain).search([])

    def test_users_draft_change_orders_but_do_not_delete_or_budget(self):
        change_order = self.env["construction.change.order"].with_user(self.construction_user).create({
            "number": "CO-A", "title": "Access", "project_id": self.project.id,
            "line_ids": [Command.create({"cost_code_id": self.cc_concrete.id, "description": "x", "amount": 5.0})],
        })
        change_order.action_submit()
        with self.assertRaises(AccessError):
            change_order.unlink()
        with self.assertRaises(AccessError):
            self.env["construction.budget.line"].with_user(self.construction_user).create(
                {"project_id": self.project.id, "cost_code_id": self.cc_concrete.id, "original_amount": 1.0})
        change_order.with_user(self.construction_manager).action_approve()
        self.assertEqual(change_order.state, "approved")
