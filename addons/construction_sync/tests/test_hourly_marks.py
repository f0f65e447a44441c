from datetime import datetime, timedelta

from odoo.tests import tagged

from .common import CommittedCase

# An hour closed long ago, which no other test marks.
HOUR = datetime(2020, 1, 1, 10)


@tagged("post_install", "-at_install")
class TestHourMarks(CommittedCase):
    """Both runners mark the hour just closed at once, when events received in it change state."""

    def setUp(self):
        super().setUp()
        self.addCleanup(self.unmark)

    def unmark(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM construction_sync_event_hourly_dirty WHERE hour = %s", (HOUR,))

    def mark(self, env):
        event = env["construction.sync.event"].new({"received_at": HOUR + timedelta(minutes=5)})
        env["construction.sync.event.hourly.dirty"]._mark(event)

    def test_an_hour_marked_by_a_transaction_committed_since_ours_began_is_no_failure(self):
        with self.registry.cursor() as cr_a, self.registry.cursor() as cr_b:
            env_a, env_b = self.env_for(cr_a), self.env_for(cr_b)
            cr_a.execute("SELECT count(*) FROM construction_sync_event_hourly_dirty")  # A's snapshot
            self.mark(env_b)
            cr_b.commit()
            self.mark(env_a)  # REPEATABLE READ: A can neither see B's row nor insert over it
            cr_a.execute("SELECT 1")
            self.assertEqual(cr_a.fetchone(), (1,), "the rest of A's transaction goes on")
            cr_a.commit()
        with self.registry.cursor() as cr:
            cr.execute("SELECT count(*) FROM construction_sync_event_hourly_dirty WHERE hour = %s", (HOUR,))
            self.assertEqual(cr.fetchone()[0], 1)
