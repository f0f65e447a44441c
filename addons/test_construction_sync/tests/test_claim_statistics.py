import json

from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import receive_in, signed_headers

from .common import CONTACT, CommittedSystemCase


@tagged("post_install", "-at_install")
class TestClaimStatistics(CommittedSystemCase):
    """A burst of deliveries outgrowing the statistics the planner has of the queue refreshes
    them before the next claim, once (real connections: PostgreSQL counts changes at commit)."""

    SYSTEM_PREFIX = "stats"

    def queue_estimate(self, cr):
        cr.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM construction_sync_event"
                   " WHERE state IN ('pending', 'processing')")
        return cr.fetchone()[0][0]["Plan"]["Plan Rows"]

    def setUp(self):
        super().setUp()
        # Autovacuum's own ANALYZE of the burst, should its launcher wake between the deliveries
        # and the check, would leave the runner nothing to refresh.
        with self.registry.cursor() as cr:
            cr.execute("ALTER TABLE construction_sync_event SET (autovacuum_enabled = false)")
        self.addCleanup(self._autovacuum_back)

    def _autovacuum_back(self):
        with self.registry.cursor() as cr:
            cr.execute("ALTER TABLE construction_sync_event RESET (autovacuum_enabled)")

    def test_a_burst_outgrowing_the_statistics_refreshes_them_once(self):
        with self.registry.cursor() as cr:
            cr.execute("ANALYZE construction_sync_event")
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            self.assertFalse(env["construction.sync.queue"]._analyze_if_outgrown(), "statistics just taken")
            before = self.queue_estimate(cr)
            for batch in range(3):
                events = [{"id": "stat-%d-%d" % (batch, i), "type": CONTACT, "timestamp": "2026-11-23T08:00:00Z",
                           "data": {"id": "S-%d-%d" % (batch, i), "name": "Stat %d" % i, "kind": "vendor"}}
                          for i in range(100)]
                body = json.dumps({"events": events}).encode()
                status, _reply = receive_in(env, self.code, body, signed_headers(body), batch=True)
                self.assertEqual(status, 202)
            # The counters reach the shared statistics when the session goes idle, at most once a
            # second unless forced.
            cr.execute("SELECT pg_stat_force_next_flush()")
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            self.assertTrue(env["construction.sync.queue"]._analyze_if_outgrown(),
                            "300 queued events more than the statistics know of")
            self.assertGreaterEqual(self.queue_estimate(cr), before + 250)
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            self.assertFalse(env["construction.sync.queue"]._analyze_if_outgrown(), "fresh statistics")
