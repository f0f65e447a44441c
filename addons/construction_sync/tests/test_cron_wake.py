import select
import time

import psycopg2

from odoo import sql_db
from odoo.tests import BaseCase, tagged

from ..models.construction_sync_runner import _notifier, _notify_cron_workers


@tagged("post_install", "-at_install")
class TestCronWake(BaseCase):
    """The runners' wake-up reaches a session listening as Odoo's cron workers do (LISTEN
    cron_trigger on the postgres database), on one kept connection, and survives losing it."""

    def setUp(self):
        super().setUp()
        self.listener = psycopg2.connect(**sql_db.connection_info_for("postgres")[1])
        self.listener.autocommit = True
        self.addCleanup(self.listener.close)
        with self.listener.cursor() as cr:
            cr.execute("LISTEN cron_trigger")

    def received(self, count=1, timeout=10):
        deadline = time.monotonic() + timeout
        payloads = []
        while time.monotonic() < deadline:
            if select.select([self.listener], [], [], 0.2)[0]:
                self.listener.poll()
                payloads += [notify.payload for notify in self.listener.notifies]
                self.listener.notifies.clear()
                if len(payloads) >= count:
                    return payloads
        return payloads

    def test_wake_up_reaches_the_cron_workers_channel(self):
        _notify_cron_workers("csync_wake_test_db")
        self.assertIn("csync_wake_test_db", self.received())

    def test_one_connection_is_kept_and_replaced_when_lost(self):
        _notify_cron_workers("csync_wake_a")
        first = _notifier["cnx"]
        _notify_cron_workers("csync_wake_b")
        self.assertIs(_notifier["cnx"], first)
        self.assertEqual(self.received(2), ["csync_wake_a", "csync_wake_b"])
        first.close()
        _notify_cron_workers("csync_wake_c")
        self.assertIsNot(_notifier["cnx"], first)
        self.assertEqual(self.received(), ["csync_wake_c"])
