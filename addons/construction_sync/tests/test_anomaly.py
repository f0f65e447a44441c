from datetime import timedelta

from odoo.tests import tagged

from ..models.construction_sync_anomaly import WEEKDAYS
from ..sync import anomaly
from .ops_common import OpsCase


@tagged("post_install", "-at_install")
class TestAnomaly(OpsCase):

    def setUp(self):
        super().setUp()
        self.Anomaly = self.env["construction.sync.anomaly"]
        self.start, self.end = self.Anomaly._window()

    def in_window(self, weeks_ago, count, **kwargs):
        """`count` events spread over the scored window, `weeks_ago` weeks back."""
        start = self.start - timedelta(weeks=weeks_ago)
        span = (self.end - self.start).total_seconds()
        moments = [start + timedelta(seconds=int(span * i / max(count, 1))) for i in range(count)]
        return self.add_events(0, moments, **kwargs)

    def test_median_and_mad(self):
        self.assertEqual(anomaly.median([120, 130, 140, 150]), 135.0)
        self.assertEqual(anomaly.mad([120, 130, 140, 150]), 10.0)
        self.assertEqual(anomaly.median([3, 1, 2]), 2.0)

    def test_volume_drop_names_its_baseline(self):
        for weeks_ago, count in ((1, 120), (2, 130), (3, 140), (4, 150)):
            self.in_window(weeks_ago, count)
        self.in_window(0, 3)
        found = self.Anomaly._volume_findings(self.rule("volume_anomaly"))
        value, message = found[self.rule("volume_anomaly").id]["partner.upserted"]
        self.assertEqual(value, 3)
        # Median 135; MAD 10 (deviations 15, 5, 5, 15), scaled 14.826; the range is
        # 135 +/- 3 x 14.826 = 90.52 .. 179.48, rounded 91-179.
        self.assertEqual(message, "Field Platform sent 3 partner.upserted events between %d:00 and %d:00; on %s it "
                                  "usually sends 91-179 (median 135, MAD 10 over the last 4 weeks)."
                         % (self.start.hour, self.end.hour, WEEKDAYS[self.start.weekday()]))

    def test_usual_volume_is_no_anomaly(self):
        for weeks_ago, count in ((1, 120), (2, 130), (3, 140), (4, 150)):
            self.in_window(weeks_ago, count)
        self.in_window(0, 128)
        self.assertFalse(self.Anomaly._volume_findings(self.rule("volume_anomaly")))

    def test_surge_opens_an_alert(self):
        for weeks_ago in (1, 2, 3, 4):
            self.in_window(weeks_ago, 10)
        self.in_window(0, 60)
        opened, _resolved = self.evaluate(["volume_anomaly"])
        self.assertEqual(opened.key, "partner.upserted")
        # A flat baseline of 10: spread floored at 1 event, so 7-13.
        self.assertIn("sent 60 partner.upserted events", opened.message)
        self.assertIn("usually sends 7-13 (median 10, MAD 0 over the last 4 weeks)", opened.message)

    def test_too_little_history(self):
        self.in_window(1, 100)
        self.in_window(0, 3)
        self.assertFalse(self.Anomaly._volume_findings(self.rule("volume_anomaly")))

    def test_jump_in_one_error_class(self):
        # Each past week: 50 events sent, 1 data error among them. Now 20 data errors.
        for weeks_ago in (1, 2, 3, 4):
            self.in_window(weeks_ago, 49)
            self.in_window(weeks_ago, 1, state="failed", error_class="data", error_message="Unknown customer")
        self.in_window(0, 20, state="failed", error_class="data", error_message="Unknown customer")
        found = self.Anomaly._error_findings(self.rule("error_anomaly"))
        value, message = found[self.rule("error_anomaly").id]["error:data"]
        self.assertEqual(value, 20)
        self.assertIn("had 20 data errors", message)
        self.assertIn("usually has 0-4 (median 1, MAD 0 over the last 4 weeks)", message)

    def test_error_free_weeks_count_as_zero(self):
        # Past weeks sent events without errors: their samples are 0 errors, so 8 errors now stand out.
        for weeks_ago in (1, 2, 3, 4):
            self.in_window(weeks_ago, 30)
        self.in_window(0, 8, state="failed", error_class="technical", error_message="boom")
        found = self.Anomaly._error_findings(self.rule("error_anomaly"))
        self.assertIn("error:technical", found[self.rule("error_anomaly").id])
        self.assertIn("usually has 0-3 (median 0, MAD 0", found[self.rule("error_anomaly").id]["error:technical"][1])

    def test_get_anomalies_for_the_cockpit(self):
        for weeks_ago, count in ((1, 120), (2, 130), (3, 140), (4, 150)):
            self.in_window(weeks_ago, count)
        self.in_window(0, 3)
        flags = self.Anomaly.with_user(self.user_integration).get_anomalies(self.system.id)
        self.assertEqual(len(flags), 1)
        self.assertEqual((flags[0]["verdict"], flags[0]["value"], flags[0]["low"], flags[0]["high"]),
                         ("drop", 3, 91, 179))

    def test_vendor_amount_far_outside(self):
        history = [1000.0, 1100.0, 1050.0, 980.0, 1020.0]
        # Median 1020; MAD 30 (deviations 20, 80, 30, 40, 0); spread max(44.48, 10 % of 1020) = 102;
        # 6 spreads each side: 408.00-1632.00.
        self.assertEqual(
            self.Anomaly._amount_flag("Acme Drywall", 5000.0, history),
            "Acme Drywall: 5000.00 is far outside its usual amounts (408.00-1632.00, median 1020.00 over its last 5).")
        self.assertIsNone(self.Anomaly._amount_flag("Acme Drywall", 1200.0, history))
        # Too few invoices to know what usual is.
        self.assertIsNone(self.Anomaly._amount_flag("Acme Drywall", 5000.0, history[:4]))
