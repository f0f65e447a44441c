import uuid

from odoo.tests import tagged

from .common import CommittedSystemCase


@tagged("post_install", "-at_install")
class TestRunnerRecovery(CommittedSystemCase):
    """A dead runner's claims are taken over as soon as its database session ends, a live one's
    are left alone until its lease runs out (real connections, committed)."""

    SYSTEM_PREFIX = "recover"

    def setUp(self):
        super().setUp()
        self.deliver_contacts("R", range(3))

    def claim(self, env, lock):
        claimed = env["construction.sync.queue"]._claim("realtime", 50, str(uuid.uuid4()), lock)
        return [event_id for event_id in claimed
                if env["construction.sync.event"].browse(event_id).system_id.id == self.system_id]

    def states(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT state, count(*) FROM construction_sync_event WHERE system_id = %s GROUP BY state",
                       (self.system_id,))
            return dict(cr.fetchall())

    def test_a_dead_runners_claims_are_taken_at_once_a_live_ones_are_not(self):
        dying = self.registry.cursor()
        try:
            env = self.env_for(dying)
            Queue = env["construction.sync.queue"]
            lock = Queue._acquire_runner_lock()
            first = self.claim(env, lock)
            dying.commit()
            self.assertEqual(len(first), 3)
            dying.execute("SELECT pg_backend_pid()")
            (dying_pid,) = dying.fetchone()

            # Alive (its session holds the lock) and within its lease: nobody else takes them.
            with self.registry.cursor() as cr:
                other = self.env_for(cr)
                other_lock = other["construction.sync.queue"]._acquire_runner_lock()
                self.assertEqual(self.claim(other, other_lock), [])
                other["construction.sync.queue"]._release_runner_lock(other_lock)
            self.assertEqual(self.states(), {"processing": 3})

            # The worker dies (kill -9 of its process ends its session): the lease is still five
            # minutes away, but the claims are taken over now, with an audit line saying why.
            with self.registry.cursor() as cr:
                cr.execute("SELECT pg_terminate_backend(%s)", (dying_pid,))
        finally:
            try:
                dying.close()
            except Exception:  # noqa: BLE001 - its connection was terminated on purpose
                pass
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            applied = env["construction.sync.runner"]._drain("realtime", commit=True)
            self.assertGreaterEqual(applied, 3)
        self.assertEqual(self.states(), {"done": 3})
        with self.registry.cursor() as cr:
            cr.execute("""
                SELECT count(*) FROM construction_sync_audit a JOIN construction_sync_event e ON e.id = a.event_id
                 WHERE e.system_id = %s AND a.action = 'lease_expired'
            """, (self.system_id,))
            self.assertEqual(cr.fetchone()[0], 3)
            cr.execute("SELECT attempts FROM construction_sync_event WHERE system_id = %s", (self.system_id,))
            self.assertEqual({attempts for (attempts,) in cr.fetchall()}, {2})

    def test_a_finished_drain_releases_its_runner_lock(self):
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            env["construction.sync.runner"]._drain("realtime", commit=True)
            cr.execute("""
                SELECT count(*) FROM pg_locks
                 WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND classid = %s::oid AND objsubid = 2
            """, (0x63737963,))
            self.assertEqual(cr.fetchone()[0], 0)
        self.assertEqual(self.states(), {"done": 3})
