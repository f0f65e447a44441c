import json
import select
import time
from unittest.mock import patch

import psycopg2

from odoo import sql_db
from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import receive_in, signed_headers

from .common import CONTACT, CommittedSystemCase

RUNNER = "odoo.addons.construction_sync.models.construction_sync_runner"


@tagged("post_install", "-at_install")
class TestRunnerWake(CommittedSystemCase):
    """A realtime runner that stops with work left wakes the cron workers again: Odoo reruns such
    a job ten times at most, then sleeps until a NOTIFY or its next poll (a minute), and under a
    steady stream of deliveries each of them skips its own NOTIFY (a wake-up younger than a second
    exists). Real connections: the listener is a session on the postgres database, as Odoo's cron
    workers are."""

    SYSTEM_PREFIX = "wake"

    def setUp(self):
        super().setUp()
        self.deliver_contacts("W", range(3))
        self.listener = psycopg2.connect(**sql_db.connection_info_for("postgres")[1])
        self.listener.autocommit = True
        self.addCleanup(self.listener.close)
        with self.listener.cursor() as cr:
            cr.execute("LISTEN cron_trigger")
        self.dbname = self.registry.db_name

    def wake_ups(self, timeout):
        """NOTIFYs for this database heard within `timeout` seconds (other databases of the
        cluster, tested alongside, send theirs too)."""
        deadline = time.monotonic() + timeout
        heard = 0
        while time.monotonic() < deadline:
            if select.select([self.listener], [], [], 0.1)[0]:
                self.listener.poll()
                heard += sum(1 for notify in self.listener.notifies if notify.payload == self.dbname)
                self.listener.notifies.clear()
        return heard

    def run_runner(self):
        with self.registry.cursor() as cr:
            return self.env_for(cr)["construction.sync.runner"]._cron_process("realtime")

    def test_a_runner_out_of_budget_with_work_left_wakes_the_cron_workers(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM ir_cron_trigger")
        with patch(RUNNER + ".CRON_BUDGET_SECONDS", 0):
            self.assertEqual(self.run_runner(), 0)
        self.assertEqual(self.wake_ups(2), 1)
        self.assertEqual(self.triggers(), 1)

    def test_work_left_is_a_new_run_of_odoos_scheduler_not_a_rerun_in_its_transaction(self):
        """Through Odoo's own scheduler (ir.cron._process_job): a run out of budget with work
        left ends the scheduler's transaction, and a trigger due now brings the job back. A job
        reporting work left was rerun ten times in that one transaction, whose snapshot kept
        vacuum from removing any row version younger than it."""
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            # More than a run of a fifth of a second applies one by one.
            events = [{"id": "evt_%s_%d" % (self.code, index), "type": CONTACT, "timestamp": "2026-11-23T08:00:00Z",
                       "data": {"id": "B-%d" % index, "name": "Backlog %s %d" % (self.code, index), "kind": "vendor"}}
                      for index in range(100)]
            body = json.dumps({"events": events}).encode()
            status, _reply = receive_in(env, self.code, body, signed_headers(body), batch=True)
            self.assertEqual(status, 202)
            runner_id = env.ref("construction_sync.ir_cron_process_realtime").id
            cr.execute("SELECT count(*) FROM ir_cron_progress WHERE cron_id = %s", (runner_id,))
            (runs_before,) = cr.fetchone()
        self.wake_ups(0.5)  # the delivery's own
        IrCron = self.registry["ir.cron"]
        db = sql_db.db_connect(self.dbname)
        with patch(RUNNER + ".CRON_BUDGET_SECONDS", 0.2), patch(RUNNER + ".CLAIM_SIZE", 1), \
                patch(RUNNER + ".FIRST_CLAIM_SIZE", 1), db.cursor() as cron_cr:
            job = IrCron._acquire_one_job(cron_cr, runner_id)
            self.assertTrue(job, "the deliveries' trigger makes the runner due")
            IrCron._process_job(db, cron_cr, job)
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM ir_cron_progress WHERE cron_id = %s", (runner_id,))
            self.assertEqual(cr.fetchone()[0] - runs_before, 1, "one run in the scheduler's transaction")
            cr.execute("SELECT count(*) FROM construction_sync_event WHERE system_id = %s AND state = 'pending'",
                       (self.system_id,))
            self.assertTrue(cr.fetchone()[0], "work was left")
            cr.execute("SELECT count(*) FROM ir_cron_trigger"
                       " WHERE cron_id = %s AND call_at <= now() at time zone 'utc'", (runner_id,))
            self.assertEqual(cr.fetchone()[0], 1, "due again at once")
        # Its NOTIFY (and the second runner's: the claims of one event came back full).
        self.assertGreaterEqual(self.wake_ups(2), 1)

    def test_a_runner_that_emptied_the_queue_sends_no_wake_up(self):
        self.assertGreaterEqual(self.run_runner(), 3)
        self.assertEqual(self.wake_ups(1), 0)

    def triggers(self):
        with self.registry.cursor() as cr:
            runner = self.env_for(cr).ref("construction_sync.ir_cron_process_realtime")
            cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", (runner.id,))
            return cr.fetchone()[0]

    def test_a_stream_of_deliveries_writes_one_wake_up_a_second(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM ir_cron_trigger")
        # Deliveries within one second, each committed on its own: the first writes the trigger
        # row and sends the NOTIFY, the others find it and write nothing. Trigger times are whole
        # seconds (fields.Datetime.now()): the deliveries start as a second begins.
        time.sleep(1.02 - time.time() % 1)
        started = time.monotonic()
        for index in range(3):
            self.deliver_contacts("S", [index])
        self.assertLess(time.monotonic() - started, 0.9, "the deliveries must fit in one second for this test")
        self.assertEqual(self.triggers(), 1)
        self.assertEqual(self.wake_ups(1), 1)
        # A second later, the next delivery wakes the runner again.
        time.sleep(1.1)
        self.deliver_contacts("S", [3])
        self.assertEqual(self.triggers(), 2)
        self.assertEqual(self.wake_ups(1), 1)
