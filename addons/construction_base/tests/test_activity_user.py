from odoo import SUPERUSER_ID, Command
from odoo.tests import new_test_user, tagged

from .common import FinanceCase


@tagged("post_install", "-at_install")
class TestActivityUser(FinanceCase):
    """Who an activity of the construction apps goes to: the document's buyer, else the
    project's responsible, else the company's, else the project manager, else a construction
    manager; never OdooBot (who owns what events create), an archived user, a portal user or
    someone outside the company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = new_test_user(cls.env, login="csync_buyer", groups="base.group_user")
        cls.site_lead = new_test_user(cls.env, login="csync_site_lead", groups="base.group_user")
        cls.office_lead = new_test_user(cls.env, login="csync_office_lead", groups="base.group_user")
        cls.pm = new_test_user(cls.env, login="csync_pm", groups="base.group_user")
        cls.odoobot = cls.env["res.users"].browse(SUPERUSER_ID)

    def pick(self, preferred=None):
        return self.project._construction_activity_user(preferred, self.company)

    def test_each_step_of_the_chain(self):
        self.assertEqual(self.project.user_id, self.odoobot, "a project created by the system belongs to OdooBot")
        self.project.user_id = self.pm
        self.project.construction_responsible_id = self.site_lead
        self.company.construction_responsible_id = self.office_lead
        self.assertEqual(self.pick(self.buyer), self.buyer)
        self.assertEqual(self.pick(self.odoobot), self.site_lead, "an order created from an event has no buyer")
        self.project.construction_responsible_id = False
        self.assertEqual(self.pick(self.odoobot), self.office_lead)
        self.company.construction_responsible_id = False
        self.assertEqual(self.pick(), self.pm)

    def test_archived_portal_and_foreign_users_are_skipped(self):
        self.project.user_id = self.pm
        self.project.construction_responsible_id = self.site_lead
        self.buyer.active = False
        self.assertEqual(self.pick(self.buyer), self.site_lead)
        self.site_lead.groups_id = [Command.set(self.env.ref("base.group_portal").ids)]
        self.assertTrue(self.site_lead.share)
        self.assertEqual(self.pick(self.buyer), self.pm)
        other_company = self.env["res.company"].create({"name": "Harbor Builders Inc."})
        outsider = new_test_user(self.env, login="csync_outsider", groups="base.group_user",
                                 company_id=other_company.id, company_ids=[Command.set(other_company.ids)])
        self.assertEqual(self.pick(outsider), self.pm)

    def test_without_anyone_a_construction_manager_hears_of_it(self):
        self.assertFalse(self.project.construction_responsible_id | self.company.construction_responsible_id)
        user = self.pick(self.odoobot)
        self.assertNotEqual(user, self.odoobot)
        self.assertTrue(user.active)
        self.assertTrue(user.has_group("construction_base.group_manager"))
        self.assertIn(self.company, user.company_ids)
