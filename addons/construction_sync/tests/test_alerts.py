from datetime import datetime

from odoo.tests import tagged

from ..sync.business_hours import business_hours_between
from .ops_common import OpsCase


@tagged("post_install", "-at_install")
class TestAlerts(OpsCase):

    def test_default_rules(self):
        self.assertEqual(
            sorted(self.rules.mapped("kind")),
            sorted(["failure_rate", "queue_age", "silence", "dead", "approval_age", "outbound_disabled",
                    "reconciliation", "volume_anomaly", "error_anomaly"]))
        self.assertEqual(self.rule("queue_age").threshold, 30.0)
        self.assertEqual(self.rule("approval_age").threshold, 16.0)
        # Run again: no second set.
        self.Rule._ensure_defaults()
        self.assertEqual(self.Rule.search_count([("system_id", "=", self.system.id)]), 9)

    def test_queue_age_opens_once_notifies_and_resolves(self):
        self.user_manager.notification_type = "email"
        events = self.add_events(2, self.ago(minutes=90), state="pending")
        opened, resolved = self.evaluate(["queue_age"])
        self.assertEqual(len(opened), 1)
        self.assertFalse(resolved)
        alert = opened
        self.assertEqual(alert.state, "open")
        self.assertIn("2 events queued, the oldest for 90 minutes (threshold 30)", alert.message)
        # Told by an activity and a message sent to the responsible person (an email for a user
        # notified by email).
        self.assertEqual(alert.activity_ids.user_id, self.user_manager)
        mails = alert.message_ids.filtered(lambda m: self.user_manager.partner_id in m.partner_ids)
        self.assertEqual(len(mails), 1)
        self.assertIn("Alert opened", mails.body)
        notification = self.env["mail.notification"].sudo().search(
            [("mail_message_id", "=", mails.id), ("res_partner_id", "=", self.user_manager.partner_id.id)])
        self.assertEqual(notification.notification_type, "email")

        # Still true: no second alert, no second activity.
        opened, resolved = self.evaluate(["queue_age"])
        self.assertFalse(opened)
        self.assertEqual(self.Alert.search_count([("rule_id", "=", self.rule("queue_age").id)]), 1)
        self.assertEqual(len(alert.activity_ids), 1)

        # The queue drains: the alert resolves itself, its activity is done, its timeline kept.
        events.sudo().write({"state": "done"})
        opened, resolved = self.evaluate(["queue_age"])
        self.assertEqual(resolved, alert)
        self.assertEqual(alert.state, "resolved")
        self.assertTrue(alert.resolved_at)
        self.assertFalse(alert.activity_ids)
        bodies = alert.message_ids.mapped("body")
        self.assertTrue(any("Resolved" in body for body in bodies))
        self.assertTrue(any("Alert opened" in body for body in bodies))

        # It happens again: a new alert, the old one stays resolved.
        self.add_events(1, self.ago(minutes=45), state="pending")
        opened, _resolved = self.evaluate(["queue_age"])
        self.assertEqual(len(opened), 1)
        self.assertNotEqual(opened, alert)
        self.assertEqual(alert.state, "resolved")

    def test_failure_rate(self):
        # 18 done and 2 failed over the last 24 h: 10.0 % > 5.0 %.
        self.add_events(18, self.ago(hours=2))
        self.add_events(2, self.ago(hours=3), state="failed", error_class="technical", error_message="boom")
        opened, _resolved = self.evaluate(["failure_rate"])
        self.assertEqual(len(opened), 1)
        self.assertAlmostEqual(opened.value, 10.0)
        self.assertIn("2 of 20 events of the last 24 hours failed (10.0 %, threshold 5.0 %)", opened.message)
        # The threshold raised above it: the condition clears.
        self.rule("failure_rate").threshold = 10.0
        _opened, resolved = self.evaluate(["failure_rate"])
        self.assertEqual(resolved, opened)

    def test_failure_rate_needs_volume(self):
        # 1 of 3 failed is no rate to alert on.
        self.add_events(2, self.ago(hours=2))
        self.add_events(1, self.ago(hours=2), state="failed", error_class="technical", error_message="boom")
        opened, _resolved = self.evaluate(["failure_rate"])
        self.assertFalse(opened)

    def test_dead_events(self):
        dead = self.add_events(3, self.ago(days=3), state="dead", error_class="transient", error_message="503")
        opened, _resolved = self.evaluate(["dead"])
        self.assertEqual(opened.value, 3.0)
        self.assertIn("3 dead events", opened.message)
        dead.with_user(self.user_manager).action_ignore("duplicates of the field team")
        _opened, resolved = self.evaluate(["dead"])
        self.assertEqual(resolved, opened)

    def test_business_hours(self):
        # Friday 2026-11-27 16:00 UTC to Monday 2026-11-30 10:00 UTC: 1 h on Friday, 2 h on Monday.
        self.assertEqual(business_hours_between(datetime(2026, 11, 27, 16), datetime(2026, 11, 30, 10), "UTC"), 3.0)
        # The same moments in New York (UTC-5): Friday 11:00 to 17:00 is 6 h, Monday 5:00 is before 8:00.
        self.assertEqual(business_hours_between(datetime(2026, 11, 27, 16), datetime(2026, 11, 30, 10),
                                                "America/New_York"), 6.0)
        # A whole week holds 5 x 9 h.
        self.assertEqual(business_hours_between(datetime(2026, 11, 23), datetime(2026, 11, 30), "UTC"), 45.0)

    def test_approval_age_in_business_hours(self):
        # Any 7 x 24 h in UTC hold exactly 45 business hours, whatever day the test runs.
        self.add_events(1, self.ago(days=7), state="awaiting_approval")
        opened, _resolved = self.evaluate(["approval_age"])
        self.assertAlmostEqual(opened.value, 45.0, places=1)
        self.assertIn("1 items await approval, the oldest for 45.0 business hours (threshold 16)", opened.message)

    def test_outbound_subscription_disabled(self):
        subscription = self.env["construction.sync.subscription"].create({
            "name": "ERP feed", "system_id": self.system.id, "endpoint_url": "https://erp.example.com/hooks",
        })
        opened, _resolved = self.evaluate(["outbound_disabled"])
        self.assertFalse(opened)
        subscription._disable("HTTP 500 for 24 hours")
        opened, _resolved = self.evaluate(["outbound_disabled"])
        self.assertEqual(opened.key, "subscription:%s" % subscription.id)
        self.assertIn("ERP feed was disabled", opened.message)
        self.assertIn("HTTP 500 for 24 hours", opened.message)
        subscription.action_enable()
        _opened, resolved = self.evaluate(["outbound_disabled"])
        self.assertEqual(resolved, opened)

    def test_silence_longer_than_usual(self):
        # One event an hour for five weeks up to 30 hours ago: at this time of the week the longest
        # silence of the last 4 weeks was under an hour (1 h floor), so 30 h is more than 2 x 1 h.
        now = self.ago()
        self.add_events(0, [self.ago(hours=hours) for hours in range(30, 24 * 35)])
        self.env["construction.sync.event.hourly"]._rollup()
        opened, _resolved = self.evaluate(["silence"])
        self.assertEqual(len(opened), 1)
        self.assertIn("has sent nothing for 30.0 hours", opened.message)
        self.assertIn("the longest silence of the last 4 weeks was 1.0 hours", opened.message)
        # A delivery now: resolved.
        self.add_events(1, now)
        _opened, resolved = self.evaluate(["silence"])
        self.assertEqual(resolved, opened)

    def test_open_alerts_for_the_cockpit(self):
        self.add_events(1, self.ago(minutes=40), state="pending")
        self.evaluate(["queue_age"])
        alerts = self.Alert.with_user(self.user_integration).get_open_alerts(self.system.id)
        self.assertEqual(len(alerts), 1)
        self.assertEqual(alerts[0]["kind"], "queue_age")
        self.assertEqual(alerts[0]["kind_label"], "Queue age")
        self.assertEqual(alerts[0]["system"], "Field Platform")
        with self.assertRaises(Exception):
            self.Alert.with_user(self.user_plain).get_open_alerts()

    def test_alert_of_another_company_is_hidden(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        system = self.env["construction.sync.system"].create({"name": "Other", "code": "other", "company_id": other.id})
        self.Rule._ensure_defaults()
        rules = self.Rule.search([("system_id", "=", system.id), ("kind", "=", "queue_age")])
        self.add_events(1, self.ago(minutes=40), state="pending", system=system)
        opened, _resolved = self.Alert._evaluate(rules)
        self.assertEqual(len(opened), 1)
        self.assertFalse(self.Alert.with_user(self.user_integration).get_open_alerts())

    def test_cron_runs(self):
        self.add_events(1, self.ago(minutes=40), state="pending")
        self.Rule._cron_evaluate()
        self.assertEqual(self.Alert.search_count([("system_id", "=", self.system.id), ("state", "=", "open"),
                                                  ("kind", "=", "queue_age")]), 1)

    def test_evaluate_now_for_managers(self):
        self.add_events(1, self.ago(minutes=40), state="pending")
        with self.assertRaises(Exception):
            self.Rule.with_user(self.user_integration).evaluate_now()
        result = self.Rule.with_user(self.user_manager).evaluate_now()
        mine = self.Alert.search([("system_id", "=", self.system.id), ("state", "=", "open")])
        self.assertEqual(mine.mapped("kind"), ["queue_age"])
        # Other systems of the database (demo data) may alert too.
        self.assertEqual(result["open"], self.Alert.search_count([("state", "=", "open")]))
        self.assertGreaterEqual(result["opened"], 1)

    def test_reconciliation_differences(self):
        if "construction.sync.difference" not in self.env:
            self.skipTest("reconciliation (issue #16) is not installed")
        Difference = self.env["construction.sync.difference"].sudo()
        differences = Difference.create([
            {"system_id": self.system.id, "object_type": "partner", "external_id": "C-%s" % n,
             "res_model": "res.partner", "kind": "missing_in_odoo"} for n in (1, 2)])
        opened, _resolved = self.evaluate(["reconciliation"])
        self.assertEqual(opened.value, 2.0)
        self.assertIn("2 open reconciliation differences (2 partner)", opened.message)
        differences.write({"state": "ignored"})
        _opened, resolved = self.evaluate(["reconciliation"])
        self.assertEqual(resolved, opened)
