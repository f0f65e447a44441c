from psycopg2 import IntegrityError

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import FinanceCase


@tagged("post_install", "-at_install")
class TestCostCode(FinanceCase):
    def test_each_code_owns_an_account_in_the_cost_code_plan(self):
        plan = self.env.ref("construction_base.analytic_plan_cost_codes")
        self.assertEqual(self.cc_concrete.analytic_account_id.plan_id, plan)
        self.assertEqual(self.cc_concrete.analytic_account_id.code, "93 30 00")
        self.assertEqual(self.cc_concrete.display_name, "93 30 00 Cast-in-Place Concrete")
        self.cc_concrete.name = "Concrete"
        self.assertEqual(self.cc_concrete.analytic_account_id.name, "Concrete")

    def test_code_unique_per_project_and_company_wide(self):
        CostCode = self.env["construction.cost.code"]
        # The same code on one project next to a company-wide one is a deliberate override.
        CostCode.create({"code": "93 30 00", "name": "Concrete (library)", "project_id": self.project.id})
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            CostCode.create({"code": "93 30 00", "name": "Duplicate company-wide"})

    def test_available_codes_are_company_wide_plus_the_projects_own(self):
        other = self.env["project.project"].create({"name": "Other job"})
        CostCode = self.env["construction.cost.code"]
        self.assertIn(self.cc_project_only, CostCode._available_for(self.project))
        self.assertNotIn(self.cc_project_only, CostCode._available_for(other))
        self.assertIn(self.cc_concrete, CostCode._available_for(other))

    def test_distribution_lands_on_project_and_code(self):
        distribution = self.cc_masonry._analytic_distribution(self.project)
        account = self.project.account_id
        self.assertTrue(account, "the project's analytic account is created on first need")
        self.assertEqual(distribution, {"%s,%s" % (account.id, self.cc_masonry.analytic_account_id.id): 100})

    def test_users_read_codes_managers_write_them(self):
        self.assertEqual(self.cc_concrete.with_user(self.construction_user).code, "93 30 00")
        with self.assertRaises(AccessError):
            self.env["construction.cost.code"].with_user(self.construction_user).create({"code": "X", "name": "X"})
        self.env["construction.cost.code"].with_user(self.construction_manager).create({"code": "X", "name": "X"})


@tagged("post_install", "-at_install")
class TestCostCodeEvents(FinanceCase):
    def test_company_wide_and_project_codes(self):
        event = self.deliver("cost_code.upserted", {"id": "CC-9", "code": "99 90 00", "name": "Painting"})
        self.drain()
        self.assertEqual(event.state, "done", event.error_message)
        self.assertEqual(event.record_ref.code, "99 90 00")
        self.assertFalse(event.record_ref.project_id)

    def test_unknown_project_waits_then_applies(self):
        event = self.deliver(
            "cost_code.upserted", {"id": "CC-10", "code": "01 10", "name": "Summary", "project_id": "P-77"},
        )
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        project = self.deliver("project.upserted", {"id": "P-77", "name": "Quarry Road Bridge"})
        self.drain()
        self.drain()
        self.assertEqual(project.state, "done", project.error_message)
        self.assertEqual(event.state, "done", event.error_message)
        self.assertEqual(event.record_ref.project_id, project.record_ref)

    def test_hand_entered_code_is_adopted(self):
        event = self.deliver("cost_code.upserted", {"id": "CC-11", "code": "94 20 00", "name": "Masonry"})
        self.drain()
        self.assertEqual(event.record_ref, self.cc_masonry)
        self.assertEqual(self.cc_masonry.name, "Masonry")
