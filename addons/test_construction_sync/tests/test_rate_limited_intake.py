import json

from odoo.tests import tagged

from odoo.addons.construction_sync.models.construction_sync_rate_bucket import _tally, forget_tallies
from odoo.addons.construction_sync.tests.common import SyncCase

from .common import CONTACT

CONTACT_DATA = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer"}


@tagged("post_install", "-at_install")
class TestRateLimitedIntake(SyncCase):
    """A single delivery is counted for its system's rate limit as it is stored (one call), a
    refused one before its refusal; far below the limit the count is kept in the worker's memory
    until its next sync."""

    def setUp(self):
        super().setUp()
        forget_tallies()
        self.addCleanup(forget_tallies)

    def counted(self):
        self.env.cr.execute("SELECT coalesce(sum(hits), 0) FROM construction_sync_rate_bucket WHERE system_id = %s",
                            (self.system.id,))
        return self.env.cr.fetchone()[0]

    def stored(self):
        return self.Event.search_count([("system_id", "=", self.system.id)])

    def test_near_the_limit_the_delivery_is_counted_as_it_is_stored_and_over_it_nothing_is_stored(self):
        self.system.rate_limit_per_minute = 2
        for number in (1, 2):
            status, reply = self.receive(CONTACT, dict(CONTACT_DATA, id="C-%s" % number))
            self.assertEqual(status, 202, reply)
            self.assertEqual(self.counted(), number)
        status, reply = self.receive(CONTACT, dict(CONTACT_DATA, id="C-3"))
        self.assertEqual(status, 429, reply)
        self.assertEqual(reply["error"]["code"], "rate_limited")
        self.assertEqual((self.stored(), self.counted()), (2, 2), "refused: neither stored nor counted")

    def test_a_refused_delivery_is_counted_and_over_the_limit_the_answer_is_429(self):
        self.system.rate_limit_per_minute = 2
        status, reply = self.receive(CONTACT, {"id": "C-1"})  # no name: refused by the schema
        self.assertEqual(status, 422, reply)
        self.assertEqual(self.counted(), 1)
        status, _reply = self.receive_raw(b"{not json")
        self.assertEqual(status, 400)
        self.assertEqual(self.counted(), 2)
        status, reply = self.receive(CONTACT, {"id": "C-1"})
        self.assertEqual(status, 429, reply)
        rejected = self.env["construction.sync.rejected.delivery"].search_count([("system_id", "=", self.system.id)])
        self.assertEqual(rejected, 1, "the 422 was kept; the refusal over the limit keeps nothing")

    def test_far_from_the_limit_the_delivery_is_stored_and_counted_once_committed(self):
        self.system.rate_limit_per_minute = 1000
        status, reply = self.receive(CONTACT, CONTACT_DATA)
        self.assertEqual(status, 202, reply)
        self.assertEqual((self.stored(), self.counted()), (1, 0))
        self.env.cr.postcommit.run()  # the delivery's commit
        tally = _tally(self.env.cr.dbname, self.system.id)
        self.assertEqual(tally.estimate(), 1)
        tally.synced_at = None  # the sync interval has passed
        status, reply = self.receive(CONTACT, dict(CONTACT_DATA, id="C-2"))
        self.assertEqual(status, 202, reply)
        self.assertEqual(self.counted(), 1, "the first delivery reached the worker's row with the second")
        self.assertEqual(json.loads(self.Event.browse(reply["event_id"]).payload)["data"]["id"], "C-2")
