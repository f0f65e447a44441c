"""Who is offered Accept and Reject (issue 11 follow-up): the right the event's handler names
(event._check_approver), not the integration manager's. The cockpit's rows and detail say it per
event (`can_decide`), the form shows the buttons by it, and the Events list's Accept and Reject
are offered to integration users, the server deciding per event type."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.construction_sync.tests.common import SyncCase

from ..handlers.site import TestSiteUpserted
from .common import CONTACT, SITE

# What construction_base.group_manager is to change_order.approved: a business right that
# integration managers do not hold by being integration managers.
BUSINESS_GROUP = "base.group_erp_manager"


@tagged("post_install", "-at_install")
class TestCockpitApprovers(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A construction manager, say, who works the integration without managing it.
        cls.business_approver = new_test_user(
            cls.env, login="csync_business_approver", groups="construction_sync.group_user,%s" % BUSINESS_GROUP)
        cls.Cockpit = cls.env["construction.sync.cockpit"]

    def setUp(self):
        super().setUp()
        self.system.setting_ids.filtered(lambda s: s.event_type == SITE).requires_approval = True
        self.deliver(CONTACT, {"id": "C-1", "name": "Customer", "kind": "customer"})
        self.approval = self.deliver(SITE, {"id": "P-1", "name": "Approved job", "customer_id": "C-1"})
        self.failed = self.deliver(SITE, {"id": "P-2", "name": "Failing job", "customer_id": "C-404"})
        self.drain()
        self.assertEqual((self.approval.state, self.failed.state), ("awaiting_approval", "failed"))

    def can_decide(self, user):
        """What the cockpit tells this user per row (list and detail), and the event's field."""
        rows = {row["id"]: row["can_decide"]
                for row in self.Cockpit.with_user(user).get_exceptions(system_id=self.system.id)["rows"]}
        detail = self.Cockpit.with_user(user).get_event(self.approval.id)["can_decide"]
        self.approval.invalidate_recordset(["can_decide"])
        field = self.approval.with_user(user).can_decide
        self.assertEqual(detail, rows[self.approval.id])
        self.assertEqual(field, rows[self.approval.id])
        self.assertFalse(rows[self.failed.id], "only approval items are decided")
        return rows[self.approval.id]

    def test_without_a_named_right_integration_managers_decide(self):
        self.assertIsNone(TestSiteUpserted.approval_group)
        self.assertTrue(self.can_decide(self.user_manager))
        self.assertFalse(self.can_decide(self.user_integration))
        self.assertFalse(self.can_decide(self.business_approver))

    def test_the_right_the_handler_names_decides_and_the_cockpit_says_so(self):
        with patch.object(TestSiteUpserted, "approval_group", BUSINESS_GROUP):
            self.assertTrue(self.can_decide(self.business_approver),
                            "an integration user with the business right, not an integration manager")
            self.assertFalse(self.can_decide(self.user_manager))
            self.assertFalse(self.can_decide(self.user_integration))
            with self.assertRaises(UserError):
                self.Cockpit.with_user(self.user_manager).act("accept", self.approval.ids)
            self.assertEqual(self.approval.state, "awaiting_approval")
            result = self.Cockpit.with_user(self.business_approver).act("accept", self.approval.ids)
        self.assertEqual(result, [{"id": self.approval.id, "state": "done", "error_message": ""}])

    def test_the_events_list_offers_accept_and_reject_to_integration_users(self):
        group_user = self.env.ref("construction_sync.group_user")
        accept = self.env.ref("construction_sync.construction_sync_event_accept_server_action")
        reject = self.env.ref("construction_sync.construction_sync_event_action_wizard_reject_action")
        self.assertEqual((accept.groups_id, reject.groups_id), (group_user, group_user))

        def run_accept(user):
            return accept.with_user(user).with_context(
                active_model="construction.sync.event", active_ids=self.approval.ids, active_id=self.approval.id,
            ).run()

        with patch.object(TestSiteUpserted, "approval_group", BUSINESS_GROUP):
            # Offered to every integration user; the server decides by the event's type.
            with self.assertRaisesRegex(UserError, "can accept or reject %s" % SITE):
                run_accept(self.user_integration)
            wizard = self.env["construction.sync.event.action.wizard"].with_user(self.user_manager).with_context(
                active_model="construction.sync.event", active_ids=self.approval.ids,
            ).create({"action": "reject", "text": "not mine"})
            with self.assertRaises(UserError):
                wizard.action_confirm()
            self.assertEqual(self.approval.state, "awaiting_approval")
            run_accept(self.business_approver)
        self.assertEqual(self.approval.state, "done")
        self.assertEqual(self.approval.audit_ids.filtered(lambda a: a.action == "accept").user_id,
                         self.business_approver)
