from odoo.tests import tagged

from .ops_common import OpsCase


@tagged("post_install", "-at_install")
class TestTriage(OpsCase):

    def setUp(self):
        super().setUp()
        self.Triage = self.env["construction.sync.triage"]
        self.waiting = self.add_events(
            3, self.ago(hours=2), state="failed", event_type="invoice.posted", error_class="data",
            error_message="Unknown customer 'C-20' from Field Platform", waiting_for="res.partner:C-20")
        self.add_events(1, self.ago(hours=1), state="failed", event_type="invoice.posted", error_class="data",
                        error_message="Unknown customer 'C-21' from Field Platform", waiting_for="res.partner:C-21")
        self.timeouts = (
            self.add_events(1, self.ago(hours=3), state="dead", error_class="transient",
                            error_message="Timeout after 30 s")
            | self.add_events(1, self.ago(hours=4), state="dead", error_class="transient",
                              error_message="Timeout after 31 s"))
        self.add_events(1, self.ago(hours=4), state="done")

    def test_groups(self):
        groups = self.Triage.with_user(self.user_integration).get_groups(self.system.id)
        self.assertEqual([(g["count"], g["label"], g["action"]) for g in groups], [
            (3, "3 events wait for Contact C-20", "retry"),
            (2, "2 Transient errors: Timeout after … s", "retry"),
            (1, "1 events wait for Contact C-21", "retry"),
        ])
        self.assertEqual(groups[0]["key"], {"system_id": self.system.id, "error_class": "data",
                                            "reference": "res.partner:C-20"})
        self.assertEqual(groups[0]["event_types"], ["invoice.posted"])

    def test_one_action_for_the_group(self):
        groups = self.Triage.with_user(self.user_integration).get_groups(self.system.id)
        outcome = self.Triage.with_user(self.user_integration).act_on_group(groups[0]["key"], "assign_me")
        self.assertEqual(sorted(row["id"] for row in outcome), sorted(self.waiting.ids))
        self.assertEqual(self.waiting.mapped("user_id"), self.user_integration)

        outcome = self.Triage.with_user(self.user_manager).act_on_group(groups[1]["key"], "ignore", "known outage")
        self.assertEqual({row["state"] for row in outcome}, {"ignored"})
        self.assertEqual(set(self.timeouts.mapped("state")), {"ignored"})
        # The group is gone; acting on it again says so.
        remaining = self.Triage.with_user(self.user_manager).get_groups(self.system.id)
        self.assertEqual([g["count"] for g in remaining], [3, 1])
        with self.assertRaisesRegex(Exception, "no exception left"):
            self.Triage.with_user(self.user_manager).act_on_group(groups[1]["key"], "ignore", "again")

    def test_rights(self):
        groups = self.Triage.with_user(self.user_integration).get_groups(self.system.id)
        # Ignore is for integration managers (the event's own rule).
        with self.assertRaises(Exception):
            self.Triage.with_user(self.user_integration).act_on_group(groups[1]["key"], "ignore", "no")
        with self.assertRaises(Exception):
            self.Triage.with_user(self.user_plain).get_groups()
        with self.assertRaisesRegex(Exception, "Unknown group action"):
            self.Triage.with_user(self.user_manager).act_on_group(groups[1]["key"], "delete")
