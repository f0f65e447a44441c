import json
import random
import threading
import time

from psycopg2 import OperationalError

from odoo.service.model import PG_CONCURRENCY_EXCEPTIONS_TO_RETRY
from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import envelope, receive_in, signed_headers

from .common import CONTACT, CommittedSystemCase


@tagged("post_install", "-at_install")
class TestConcurrency(CommittedSystemCase):
    """Real concurrency: each thread has its own connection and commits."""

    SYSTEM_PREFIX = "conc"

    def run_threads(self, count, target):
        barrier = threading.Barrier(count)
        results, errors = [None] * count, []

        def run(index):
            try:
                with self.registry.cursor() as cr:
                    env = self.env_for(cr)
                    barrier.wait(timeout=30)
                    results[index] = target(env, index)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        for thread in threads:
            thread.join(timeout=max(0, deadline - time.monotonic()))
        self.assertFalse([t for t in threads if t.is_alive()], "threads still running after 120 s")
        self.assertEqual(errors, [])
        return results

    def like_a_request(self, env, func):
        """Runs `func` as Odoo's HTTP layer runs a request: retried after a rollback when it hits a
        serialization failure (service.model.retrying, which cannot be used here because it
        reloads the registry the test runner keeps locked)."""
        for _try in range(5):
            try:
                return func()
            except OperationalError as exc:
                if not isinstance(exc, PG_CONCURRENCY_EXCEPTIONS_TO_RETRY):
                    raise
                env.cr.rollback()
                env.invalidate_all()
                time.sleep(random.uniform(0, 0.2))
        raise AssertionError("still failing after 5 tries")

    def receive(self, env, body, headers):
        return receive_in(env, self.code, body, headers)

    def test_fifty_concurrent_deliveries_of_one_id_make_one_event_and_one_record(self):
        data = {"id": "C-CONC", "name": "Concurrent Customer %s" % self.code, "kind": "customer"}
        body = json.dumps(envelope(CONTACT, data)).encode()
        headers = signed_headers(body, webhook_id="msg_concurrent")
        statuses = self.run_threads(
            50, lambda env, i: self.like_a_request(env, lambda: self.receive(env, body, headers)[0]))
        self.assertEqual(sorted(statuses), [200] * 49 + [202])
        # Two processors drain at the same time; the record exists once.
        self.run_threads(2, lambda env, i: env["construction.sync.runner"]._drain("realtime", commit=True))
        with self.registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM construction_sync_event WHERE system_id = %s GROUP BY state",
                       (self.system_id,))
            self.assertEqual(cr.fetchall(), [("done", 1)])
            cr.execute("SELECT count(*) FROM construction_sync_test_contact WHERE name = %s", (data["name"],))
            self.assertEqual(cr.fetchone()[0], 1)

    def test_two_processors_draining_one_queue_apply_each_event_exactly_once(self):
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            for index in range(120):
                data = {"id": "P-%d" % index, "name": "Drain %s %d" % (self.code, index), "kind": "vendor"}
                body = json.dumps(envelope(CONTACT, data)).encode()
                status, _reply = self.receive(env, body, signed_headers(body))
                self.assertEqual(status, 202)
        processed = self.run_threads(2, lambda env, i: env["construction.sync.runner"]._drain("realtime", commit=True))
        self.assertEqual(sum(processed), 120)
        with self.registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM construction_sync_event WHERE system_id = %s GROUP BY state",
                       (self.system_id,))
            self.assertEqual(cr.fetchall(), [("done", 120)])
            cr.execute("SELECT count(*), count(DISTINCT name) FROM construction_sync_test_contact WHERE name LIKE %s",
                       ("Drain %s %%" % self.code,))
            self.assertEqual(cr.fetchone(), (120, 120))
            cr.execute("""
                SELECT count(*) FROM construction_sync_audit a JOIN construction_sync_event e ON e.id = a.event_id
                 WHERE e.system_id = %s AND a.action = 'done'
            """, (self.system_id,))
            self.assertEqual(cr.fetchone()[0], 120, "one 'done' per event: none applied twice")

    def test_a_delivery_as_the_runner_empties_the_inbox_is_applied_by_that_run(self):
        """The second delivery comes within the second in which the intake skips its NOTIFY: only
        the runner still looking (rather than the cron workers' next poll) applies it."""
        def deliver(name):
            with self.registry.cursor() as cr:
                env = self.env_for(cr)
                body = json.dumps(envelope(CONTACT, {"id": name, "name": name, "kind": "vendor"})).encode()
                status, reply = self.receive(env, body, signed_headers(body))
                self.assertEqual(status, 202)
                return reply["event_id"]

        def state(event_id):
            with self.registry.cursor() as cr:
                cr.execute("SELECT state FROM construction_sync_event WHERE id = %s", (event_id,))
                return cr.fetchone()[0]

        first = deliver("Linger A %s" % self.code)
        runner = threading.Thread(target=self.run_threads, args=(
            1, lambda env, i: env["construction.sync.runner"]._cron_process("realtime")))
        runner.start()
        deadline = time.monotonic() + 30
        while state(first) != "done" and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertEqual(state(first), "done")
        second = deliver("Linger B %s" % self.code)
        runner.join(timeout=60)
        self.assertFalse(runner.is_alive())
        self.assertEqual(state(second), "done", "applied by the run that was ending, not left for the next poll")
