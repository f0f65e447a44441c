"""The test event types and what the engine's tests send with them. The shared sync world
(systems, users, delivery helpers) is the engine's: odoo.addons.construction_sync.tests.common."""

import json
import uuid

from odoo.addons.construction_sync.tests.common import SECRET, CommittedCase, envelope, receive_in, signed_headers

CONTACT = "test_contact.upserted"
SITE = "test_site.upserted"
CONTACT_MODEL = "construction.sync.test.contact"
SITE_MODEL = "construction.sync.test.site"
TEST_TYPES = [CONTACT, SITE]


class CommittedSystemCase(CommittedCase):
    """Real connections that commit, with a system of their own that every test removes again,
    with what it received and the contacts it made."""

    SYSTEM_PREFIX = "committed"

    def setUp(self):
        super().setUp()
        self.code = "%s-%s" % (self.SYSTEM_PREFIX, uuid.uuid4().hex[:8])
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            system = env["construction.sync.system"].create({"name": self.SYSTEM_PREFIX.title(), "code": self.code})
            system.secret = SECRET
            self.system_id = system.id
        self.addCleanup(self.cleanup)

    def deliver_contacts(self, tag, indexes):
        """Delivers a contact for each of `indexes` (external ids "<tag>-<index>"), signed, one
        delivery each, all committed together."""
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            for index in indexes:
                data = {"id": "%s-%d" % (tag, index), "name": "%s %s %d" % (tag, self.code, index), "kind": "vendor"}
                body = json.dumps(envelope(CONTACT, data)).encode()
                status, _reply = receive_in(env, self.code, body, signed_headers(body))
                self.assertEqual(status, 202)

    def cleanup(self):
        with self.registry.cursor() as cr:
            cr.execute("SELECT res_id FROM construction_sync_mapping WHERE system_id = %s AND res_model = %s",
                       (self.system_id, CONTACT_MODEL))
            contact_ids = [row[0] for row in cr.fetchall() if row[0]]
            cr.execute("DELETE FROM construction_sync_event WHERE system_id = %s", (self.system_id,))
            cr.execute("DELETE FROM construction_sync_rejected_delivery WHERE system_id = %s", (self.system_id,))
            cr.execute("DELETE FROM construction_sync_mapping WHERE system_id = %s", (self.system_id,))
            cr.execute("DELETE FROM construction_sync_system WHERE id = %s", (self.system_id,))
            if contact_ids:
                cr.execute("DELETE FROM construction_sync_test_contact WHERE id = ANY(%s)", (contact_ids,))
