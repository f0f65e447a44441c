import json
import uuid

from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.construction_sync.tests.common import envelope, receive_in, signed_headers

from .common import CONTACT, CommittedSystemCase


@tagged("post_install", "-at_install")
class TestWriteConflicts(CommittedSystemCase):
    """Two runners writing one record: the event that meets the other's committed write is applied
    again in a new transaction right after its runner commits, without using up an attempt
    (real connections, committed)."""

    SYSTEM_PREFIX = "conflict"

    def deliver(self, external_id, name, timestamp):
        with self.registry.cursor() as cr:
            data = {"id": external_id, "name": name, "kind": "vendor"}
            body = json.dumps(envelope(CONTACT, data, timestamp=timestamp)).encode()
            status, _reply = receive_in(self.env_for(cr), self.code, body, signed_headers(body))
            self.assertEqual(status, 202)

    def contact_id(self, external_id):
        with self.registry.cursor() as cr:
            cr.execute("SELECT res_id FROM construction_sync_mapping WHERE system_id = %s AND external_id = %s",
                       (self.system_id, external_id))
            return cr.fetchone()[0]

    def events(self):
        with self.registry.cursor() as cr:
            cr.execute("""SELECT e.webhook_id, e.state, e.attempts FROM construction_sync_event e
                           WHERE e.system_id = %s ORDER BY e.id""", (self.system_id,))
            return cr.fetchall()

    @mute_logger("odoo.sql_db")  # the conflicting UPDATE is logged as a bad query, on purpose here
    def test_an_event_meeting_a_concurrent_write_is_applied_after_the_commit(self):
        self.deliver("K-1", "Kestrel Framing", "2026-11-23T08:00:00Z")
        with self.registry.cursor() as cr:
            self.env_for(cr)["construction.sync.runner"]._drain("realtime", commit=True)
        contact = self.contact_id("K-1")
        self.deliver("K-1", "Kestrel Framing LLC", "2026-11-23T09:00:00Z")
        self.deliver("K-2", "Osprey Drywall", "2026-11-23T09:00:00Z")

        runner = self.registry.cursor()
        try:
            env = self.env_for(runner)
            Queue = env["construction.sync.queue"]
            token = str(uuid.uuid4())
            lock = Queue._acquire_runner_lock()
            claimed = [event_id for event_id in Queue._claim("realtime", 50, token, lock)
                       if env["construction.sync.event"].browse(event_id).system_id.id == self.system_id]
            runner.commit()
            self.assertEqual(len(claimed), 2)
            # The runner's transaction takes its snapshot here...
            owned = Queue._lock_claimed(claimed, token)
            # ... and another transaction changes the contact and commits meanwhile.
            with self.registry.cursor() as other:
                other.execute("UPDATE construction_sync_test_contact SET name = 'Edited elsewhere' WHERE id = %s",
                              (contact,))
            Processor = env["construction.sync.processor"].with_context(construction_sync_defer_conflicts=True)
            deferred = Processor._apply_claimed(owned, {})
            self.assertEqual(deferred.mapped("object_key"), ["%s:K-1" % "construction.sync.test.contact"])
            self.assertEqual(deferred.state, "processing", "a deferred event stays claimed, untouched")
            runner.commit()
            self.assertEqual([state for _id, state, _a in self.events()], ["done", "processing", "done"])

            env["construction.sync.runner"]._apply_deferred(deferred, token, {})
            Queue._release_runner_lock(lock)
            runner.commit()
        finally:
            runner.close()
        self.assertEqual([(state, attempts) for _id, state, attempts in self.events()],
                         [("done", 1), ("done", 1), ("done", 1)])
        with self.registry.cursor() as cr:
            cr.execute("SELECT name FROM construction_sync_test_contact WHERE id = %s", (contact,))
            self.assertEqual(cr.fetchone()[0], "Kestrel Framing LLC", "the event's write came after the other one")

    @mute_logger("odoo.sql_db")
    def test_without_the_runners_deferral_a_conflict_is_a_transient_failure(self):
        self.deliver("K-3", "Heron Glazing", "2026-11-23T08:00:00Z")
        with self.registry.cursor() as cr:
            self.env_for(cr)["construction.sync.runner"]._drain("realtime", commit=True)
        contact = self.contact_id("K-3")
        self.deliver("K-3", "Heron Glazing Inc", "2026-11-23T09:00:00Z")
        runner = self.registry.cursor()
        try:
            env = self.env_for(runner)
            Queue = env["construction.sync.queue"]
            token = str(uuid.uuid4())
            lock = Queue._acquire_runner_lock()
            claimed = [event_id for event_id in Queue._claim("realtime", 50, token, lock)
                       if env["construction.sync.event"].browse(event_id).system_id.id == self.system_id]
            runner.commit()
            owned = Queue._lock_claimed(claimed, token)
            with self.registry.cursor() as other:
                other.execute("UPDATE construction_sync_test_contact SET name = 'Edited elsewhere' WHERE id = %s",
                              (contact,))
            deferred = env["construction.sync.processor"]._apply_claimed(owned, {})
            self.assertFalse(deferred)
            Queue._release_runner_lock(lock)
            runner.commit()
        finally:
            runner.close()
        (_first, (_webhook_id, state, attempts)) = self.events()
        self.assertEqual((state, attempts), ("pending", 1), "retried later, like any transient failure")
        with self.registry.cursor() as cr:
            cr.execute("SELECT error_class FROM construction_sync_event WHERE system_id = %s ORDER BY id DESC LIMIT 1",
                       (self.system_id,))
            self.assertEqual(cr.fetchone()[0], "transient")
