from odoo import Command
from odoo.tests import new_test_user, tagged

from .test_commitment import CommitmentCase


@tagged("post_install", "-at_install")
class TestJobCost(CommitmentCase):
    """Every column of the job cost report from real documents, to the cent."""

    def setUp(self):
        super().setUp()
        Budget = self.env["construction.budget.line"]
        Budget.create({"project_id": self.project.id, "cost_code_id": self.cc_masonry.id, "original_amount": 200000.0})
        Budget.create({"project_id": self.project.id, "cost_code_id": self.cc_concrete.id, "original_amount": 90000.0})
        change_order = self.env["construction.change.order"].create({
            "number": "PCO-1", "title": "Feature wall", "project_id": self.project.id,
            "line_ids": [Command.create({"cost_code_id": self.cc_masonry.id, "description": "Feature wall",
                                         "amount": 15000.0, "budget_amount": 12000.0})],
        })
        change_order.with_user(self.finance_manager).action_approve()

    def row(self, cost_code):
        self.env.flush_all()
        rows = self.env["construction.job.cost"].search(
            [("project_id", "=", self.project.id), ("cost_code_id", "=", cost_code.id if cost_code else False)])
        self.assertEqual(len(rows), 1)
        return rows

    def test_budget_commitments_and_costs(self):
        # Committed: 180 000 walls + 400 x 12.35 block, both masonry.
        bill = self.bill([(self.walls, 45000.0)])
        direct = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.subcontractor.id, "invoice_date": "2026-11-16",
            "invoice_line_ids": [Command.create({
                "name": "Mortar (no PO)", "quantity": 1, "price_unit": 812.4, "tax_ids": [Command.clear()],
                "analytic_distribution": self.cc_masonry._analytic_distribution(self.project)})],
        })
        direct.action_post()
        masonry = self.row(self.cc_masonry)
        self.assertEqual(masonry.original_budget, 200000.0)
        self.assertEqual(masonry.approved_changes, 12000.0)
        self.assertEqual(masonry.revised_budget, 212000.0)
        self.assertEqual(masonry.committed, 184940.0)
        self.assertEqual(masonry.actual_cost, 45812.4, "retention is not a cost; the full 45 000 is")
        self.assertEqual(masonry.uncommitted_cost, 812.4)
        self.assertEqual(masonry.remaining, 212000.0 - 184940.0 - 812.4)
        concrete = self.row(self.cc_concrete)
        self.assertEqual((concrete.revised_budget, concrete.committed, concrete.actual_cost), (90000.0, 0.0, 0.0))
        project_level = self.row(None)
        self.assertEqual(project_level.retention_payable, bill.retention_amount)
        self.assertEqual(project_level.retention_payable, 4500.0)

    def test_billing_and_retention_receivable(self):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": "2026-11-30",
            "construction_project_id": self.project.id, "retention_percent": 10,
            "invoice_line_ids": [Command.create({
                "name": "Masonry, 20 % complete", "quantity": 1, "price_unit": 43000.0, "tax_ids": [Command.clear()],
                "analytic_distribution": self.cc_masonry._analytic_distribution(self.project)})],
        })
        invoice.action_construction_apply_retention()
        invoice.action_post()
        self.assertEqual(self.row(self.cc_masonry).billed, 43000.0)
        self.assertEqual(self.row(self.cc_masonry).actual_cost, 0.0)
        self.assertEqual(self.row(None).retention_receivable, 4300.0)

    def test_void_takes_the_change_out_of_the_budget(self):
        self.project.change_order_ids.with_user(self.finance_manager).action_void()
        self.assertEqual(self.row(self.cc_masonry).revised_budget, 200000.0)

    def test_users_read_the_report(self):
        rows = self.env["construction.job.cost"].with_user(self.construction_user).search(
            [("project_id", "=", self.project.id)])
        self.assertTrue(rows)
        self.assertTrue(rows.mapped("revised_budget"))

    def test_project_buttons_open_the_projects_documents(self):
        self.assertEqual((self.project.change_order_count, self.project.commitment_count), (1, 1))
        for method, model, field in (("action_view_change_orders", "construction.change.order", "project_id"),
                                     ("action_view_commitments", "purchase.order", "construction_project_id"),
                                     ("action_view_pay_applications", "construction.pay.application", "project_id"),
                                     ("action_view_retention", "construction.retention.balance", "project_id"),
                                     ("action_view_job_cost", "construction.job.cost", "project_id")):
            action = getattr(self.project, method)()
            self.assertEqual((action["res_model"], action["domain"]), (model, [(field, "=", self.project.id)]), method)
        # The domain finds this project's documents and nothing else.
        action = self.project.action_view_commitments()
        self.assertEqual(self.env["purchase.order"].search(action["domain"]), self.order)


@tagged("post_install", "-at_install")
class TestFinanceCompanyIsolation(CommitmentCase):
    def test_another_companys_people_see_none_of_this_job(self):
        company_b = self.env["res.company"].create({"name": "Builders B"})
        user_b = new_test_user(self.env, login="csync_b_manager", company_id=company_b.id,
                               company_ids=[Command.set(company_b.ids)],
                               groups="construction_sync.group_manager,construction_base.group_manager,"
                                      "account.group_account_manager")
        self.env["construction.budget.line"].create(
            {"project_id": self.project.id, "cost_code_id": self.cc_masonry.id, "original_amount": 1.0})
        change_order = self.env["construction.change.order"].create({
            "number": "ISO-1", "title": "Isolation", "project_id": self.project.id,
            "line_ids": [Command.create({"cost_code_id": self.cc_masonry.id, "description": "x", "amount": 1.0})],
        })
        self.bill([(self.walls, 1000.0)])
        self.env.flush_all()
        own = [("construction.cost.code", self.cc_masonry), ("construction.change.order", change_order)]
        for model, record in own:
            self.assertIn(record, self.env[model].with_user(self.construction_manager).search([]), model)
            self.assertNotIn(record, self.env[model].with_user(user_b).search([]), model)
        for model in ("construction.budget.line", "construction.job.cost", "construction.retention.balance"):
            domain = [("project_id", "=", self.project.id)]
            self.assertTrue(self.env[model].with_user(self.construction_manager).search(domain), model)
            self.assertFalse(self.env[model].with_user(user_b).search(domain), model)
