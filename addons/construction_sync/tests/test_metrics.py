import json
import os
import shutil
import subprocess
from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from ..models.construction_sync_metrics import TOKEN_PARAM
from .common import SyncHttpCase

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PARSER = os.path.join(ROOT, "test", "metrics", "parse-metrics.mjs")


def parse(text):
    """({name: family} as the npm package parse-prometheus-text-format reads them, {name: family}
    of every series untyped; see test/metrics/parse-metrics.mjs)."""
    node = shutil.which("node")
    assert node, "node is needed to parse the metrics with a real Prometheus parser"
    result = subprocess.run([node, PARSER], input=text.encode(), capture_output=True, cwd=ROOT, timeout=60,
                            check=False)
    assert result.returncode == 0, result.stderr.decode()
    parsed = json.loads(result.stdout)
    series = {}
    for family in parsed["series"]:
        # Untyped, each run of samples of one name is a family: one per histogram series.
        series.setdefault(family["name"], {"name": family["name"], "metrics": []})["metrics"] += family["metrics"]
    return {family["name"]: family for family in parsed["typed"]}, series


def sample(family, **labels):
    found = [m for m in family["metrics"] if all(m.get("labels", {}).get(k) == v for k, v in labels.items())]
    assert len(found) == 1, (family["name"], labels, family["metrics"])
    return found[0]


@tagged("post_install", "-at_install")
class TestMetrics(SyncHttpCase):

    def setUp(self):
        super().setUp()
        self.token = self.env["ir.config_parameter"].sudo().get_param(TOKEN_PARAM)
        now = fields.Datetime.now()
        values = {"system_id": self.system.id, "company_id": self.system.company_id.id, "payload": "{}",
                  "processing_mode": "realtime", "source_timestamp": now, "event_type": "partner.upserted"}
        Event = self.env["construction.sync.event"].sudo()
        events = Event.create([
            dict(values, webhook_id="m-q1", state="pending", received_at=now - timedelta(minutes=10)),
            dict(values, webhook_id="m-q2", state="processing", received_at=now - timedelta(minutes=2),
                 claim_token="tok-1"),
            # applied 3 s after reception, and 0.4 s after
            dict(values, webhook_id="m-d1", state="done", received_at=now - timedelta(seconds=30),
                 finished_at=now - timedelta(seconds=27)),
            dict(values, webhook_id="m-d2", state="done", received_at=now - timedelta(seconds=20),
                 finished_at=now - timedelta(seconds=19.6)),
            dict(values, webhook_id="m-f1", state="dead", received_at=now - timedelta(minutes=5),
                 error_class="transient", error_message="503"),
        ])
        # The runners count each latency as they apply the event (construction.sync.latency).
        Latency = self.env["construction.sync.latency"]
        for event in events.filtered(lambda e: e.state == "done"):
            Latency._observe(event.ids, event.finished_at)

    def get(self, token=None, scheme="Bearer"):
        headers = {"Authorization": "%s %s" % (scheme, token)} if token is not None else {}
        return self.url_open("/construction_sync/metrics", headers=headers, timeout=30)

    def test_token_generated_at_install(self):
        self.assertTrue(self.token)
        self.assertGreaterEqual(len(self.token), 40)

    def test_refused_without_the_token(self):
        self.assertEqual(self.get().status_code, 401)
        self.assertEqual(self.get("wrong").status_code, 401)
        self.assertEqual(self.get(self.token, scheme="Basic").status_code, 401)
        response = self.get("wrong")
        self.assertEqual(response.headers["WWW-Authenticate"], 'Bearer realm="metrics"')
        self.assertNotIn("construction_sync_queue_depth", response.text)

    def test_metrics_parse_with_a_prometheus_parser(self):
        response = self.get(self.token)
        self.assertEqual(response.status_code, 200, response.text)
        self.assertEqual(response.headers["Content-Type"], "text/plain; version=0.0.4; charset=utf-8")
        families, series = parse(response.text)
        system = self.system.code

        self.assertEqual(families["construction_sync_queue_depth"]["type"], "GAUGE")
        self.assertEqual(sample(families["construction_sync_queue_depth"], system=system)["value"], "2")
        age = float(sample(families["construction_sync_queue_oldest_age_seconds"], system=system)["value"])
        self.assertGreaterEqual(age, 600.0)
        self.assertEqual(sample(families["construction_sync_exceptions"], system=system, state="dead")["value"], "1")

        events = families["construction_sync_events_24h"]
        self.assertEqual(sample(events, system=system, type="partner.upserted", state="done")["value"], "2")
        self.assertEqual(sample(events, system=system, type="partner.upserted", state="dead")["value"], "1")

        self.assertEqual(families["construction_sync_processing_latency_seconds"]["type"], "HISTOGRAM")
        buckets = {m["labels"]["le"]: m["value"]
                   for m in series["construction_sync_processing_latency_seconds_bucket"]["metrics"]
                   if m["labels"]["system"] == system}
        # 0.4 s and 3 s: none <= 0.1, one <= 0.5, 1 and 2; both <= 5 and above.
        self.assertEqual(buckets["0.1"], "0")
        self.assertEqual(buckets["0.5"], "1")
        self.assertEqual(buckets["2.0"], "1")
        self.assertEqual(buckets["5.0"], "2")
        self.assertEqual(buckets["+Inf"], "2")
        count = sample(series["construction_sync_processing_latency_seconds_count"], system=system)
        self.assertEqual(count["value"], "2")
        total = sample(series["construction_sync_processing_latency_seconds_sum"], system=system)
        self.assertAlmostEqual(float(total["value"]), 3.4, places=3)

        self.assertEqual(sample(families["construction_sync_runner_claimed_events"], mode="realtime")["value"], "1")
        self.assertEqual(sample(families["construction_sync_runner_claims"], mode="realtime")["value"], "1")
        for name in ("construction_sync_deliveries_rejected_24h", "construction_sync_alerts_open",
                     "construction_sync_outbound_queue_depth", "construction_sync_outbound_dead",
                     "construction_sync_outbound_attempts_1h", "construction_sync_outbound_latency_seconds"):
            self.assertIn(name, families)
