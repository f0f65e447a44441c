from odoo import SUPERUSER_ID
from odoo.tests import new_test_user, tagged

from .test_submittal import SubmittalCase


@tagged("post_install", "-at_install")
class TestHoldActivityReachesAPerson(SubmittalCase):
    """Orders created from events belong to OdooBot, an archived user: the hold's activity goes
    to the project's responsible, else the company's, else the project manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        groups = "base.group_user,purchase.group_purchase_user"
        cls.site_lead = new_test_user(cls.env, login="csync_hold_site_lead", groups=groups)
        cls.office_lead = new_test_user(cls.env, login="csync_hold_office_lead", groups=groups)
        cls.pm = new_test_user(cls.env, login="csync_hold_pm", groups=groups)
        cls.odoobot = cls.env["res.users"].browse(SUPERUSER_ID)

    def setUp(self):
        super().setUp()
        self.order.user_id = self.odoobot
        self.submittal.status = "approved"
        self.order.button_confirm()

    def hold(self, status="rejected"):
        self.submittal.status = status
        activity = self.hold_activities()
        self.assertEqual(len(activity), 1)
        user = activity.user_id
        self.submittal.status = "approved"
        self.assertFalse(self.hold_activities())
        return user

    def test_responsible_then_company_then_project_manager(self):
        self.assertFalse(self.odoobot.active, "OdooBot is archived: nobody reads its activities")
        self.project.write({"user_id": self.pm.id, "construction_responsible_id": self.site_lead.id})
        self.company.construction_responsible_id = self.office_lead
        self.assertEqual(self.hold(), self.site_lead)
        self.project.construction_responsible_id = False
        self.assertEqual(self.hold("revise_resubmit"), self.office_lead)
        self.office_lead.active = False
        self.assertEqual(self.hold("superseded"), self.pm)

    def test_a_real_buyer_keeps_the_activity(self):
        self.project.construction_responsible_id = self.site_lead
        self.order.user_id = self.pm
        self.assertEqual(self.hold(), self.pm)

    def test_a_buyer_who_left_is_replaced(self):
        self.project.construction_responsible_id = self.site_lead
        self.order.user_id = self.pm
        self.pm.active = False
        self.assertEqual(self.hold(), self.site_lead)
