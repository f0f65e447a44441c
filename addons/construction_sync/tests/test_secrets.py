import json
from contextlib import contextmanager
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools import config

from ..sync import delivery, secret_store, signature
from .common import SECRET, SyncWorldMixin, envelope, signed_headers

# No addon declares this type: an authenticated delivery of it is refused 422 (and kept), an
# unauthenticated one 401, which is all these tests need to tell them apart.
UNKNOWN_TYPE = "invoice.exploded"
BODY = json.dumps(envelope(UNKNOWN_TYPE, {"id": "C-1"})).encode()
KEY = "a long random value from odoo.conf (first)"
OTHER_KEY = "a long random value from odoo.conf (second)"


@contextmanager
def server_key(value):
    """The server configuration with construction_sync_secret_key set to `value` (None: unset)."""
    with patch.dict(config.options):
        config.options.pop(secret_store.CONFIG_KEY, None)
        if value is not None:
            config.options[secret_store.CONFIG_KEY] = value
        yield


@tagged("post_install", "-at_install")
class TestSecrets(SyncWorldMixin, TransactionCase):
    """Signing secrets keep only what verification needs, encrypted at rest when the server has a
    key, and appear in no export, chatter, audit row or log (sync.secret_store,
    construction.sync.system)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_world()  # tracking stays on: the chatter of a rotation is checked below

    def columns(self, system=None):
        """The system's secret columns exactly as the database holds them."""
        self.env.flush_all()
        self.env.cr.execute("SELECT secret, previous_secret, previous_secret_valid_until FROM construction_sync_system"
                            " WHERE id = %s", ((system or self.system).id,))
        return self.env.cr.fetchone()

    def deliver_signed(self, secret=SECRET):
        """(status, error code, extra headers) of a delivery signed with `secret`."""
        reply = delivery.answer(
            self.env["construction.sync.intake"].sudo(), self.system.code, False, "POST",
            {k.lower(): v for k, v in signed_headers(BODY, secret=secret).items()}, "application/json", len(BODY),
            lambda limit: BODY,
        )
        return reply.status, (reply.body.get("error") or {}).get("code"), reply.headers

    def assert_authenticated(self, secret=SECRET):
        status, code, _headers = self.deliver_signed(secret)
        self.assertEqual((status, code), (422, "unknown_event_type"), "signed deliveries still verify")

    def test_without_a_key_secrets_are_stored_as_before(self):
        with server_key(None):
            self.system.sudo().secret = SECRET
            self.assertEqual(self.columns()[0], SECRET)
            self.assert_authenticated()
            self.assertEqual(self.deliver_signed("whsec_" + "A" * 32)[:2], (401, "invalid_signature"))

    def test_with_a_key_the_column_holds_no_plain_secret_and_verification_works(self):
        with server_key(KEY):
            self.system.sudo().secret = SECRET
            stored = self.columns()[0]
            self.assertTrue(stored.startswith(secret_store.SEALED_PREFIX), stored)
            self.assertNotIn("whsec_", stored)
            self.assertNotIn(SECRET[len("whsec_"):], stored)
            self.system.invalidate_recordset()
            self.assertEqual(self.system.with_user(self.user_manager).secret, SECRET, "managers see it decrypted")
            self.assert_authenticated()
            self.assertEqual(self.deliver_signed("whsec_" + "A" * 32)[:2], (401, "invalid_signature"))
            # A new system's secret is stored encrypted from the start.
            other = self.env["construction.sync.system"].create({"name": "Other", "code": "other"})
            self.assertTrue(self.columns(other)[0].startswith(secret_store.SEALED_PREFIX))
            self.assertTrue(other.sudo().secret.startswith("whsec_"))
            other.with_user(self.user_manager).action_rotate_secret()
            self.assertFalse([value for value in self.columns(other)[:2] if "whsec_" in value])

    def test_a_plain_secret_is_encrypted_on_the_fly_once_a_key_is_set(self):
        with server_key(None):
            self.system.sudo().secret = SECRET
            other = self.env["construction.sync.system"].create({"name": "Quiet", "code": "quiet"})
            quiet_secret = other.sudo().secret
        with server_key(KEY):
            # A request that cannot sign changes nothing ...
            self.assertEqual(self.deliver_signed("whsec_" + "A" * 32)[0], 401)
            self.assertEqual(self.columns()[0], SECRET)
            # ... the first authenticated delivery encrypts the system's secret ...
            self.assert_authenticated()
            self.assertTrue(self.columns()[0].startswith(secret_store.SEALED_PREFIX))
            self.assert_authenticated()
            # ... and the daily housekeeping the secrets of systems that received nothing.
            self.assertEqual(self.columns(other)[0], quiet_secret)
            self.env["construction.sync.system"]._cron_secret_housekeeping()
            self.assertTrue(self.columns(other)[0].startswith(secret_store.SEALED_PREFIX))
            other.invalidate_recordset()
            self.assertEqual(other.sudo().secret, quiet_secret)

    def test_the_server_key_can_be_rotated_and_a_missing_key_answers_503(self):
        with server_key(KEY):
            self.system.sudo().secret = SECRET
            sealed_under_key = self.columns()[0]
        for value in (OTHER_KEY, None):
            with server_key(value), self.assertLogs("odoo.addons.construction_sync", "ERROR") as logs:
                status, code, headers = self.deliver_signed()
            self.assertEqual((status, code), (503, "service_unavailable"), "nothing lost: the sender retries")
            self.assertTrue(int(headers["Retry-After"]) > 0)
            self.assertNotIn(SECRET, "\n".join(logs.output))
            self.assertIn(secret_store.CONFIG_KEY, "\n".join(logs.output))
        # The new key first, the old one after: both read; housekeeping encrypts under the new one.
        with server_key("%s, %s" % (OTHER_KEY, KEY)):
            self.assert_authenticated()
            self.assertEqual(self.columns()[0], sealed_under_key, "no re-encryption on the delivery path")
            self.env["construction.sync.system"]._cron_secret_housekeeping()
            self.assertNotEqual(self.columns()[0], sealed_under_key)
        with server_key(OTHER_KEY):
            self.assert_authenticated()
            self.system.invalidate_recordset()
            self.assertEqual(self.system.sudo().secret, SECRET)

    def test_an_expired_previous_secret_is_erased(self):
        with server_key(None):
            self.system.sudo().secret = SECRET
            self.system.with_user(self.user_manager).action_rotate_secret()
            new_secret = self.system.sudo().secret
            self.assertEqual(self.columns()[1], SECRET)
            self.assert_authenticated(SECRET)  # within the grace period
            self.assertEqual(self.columns()[1], SECRET)
            self.system.sudo().previous_secret_valid_until = fields.Datetime.now() - timedelta(seconds=1)
            # The old secret no longer verifies; a refused request writes nothing ...
            self.assertEqual(self.deliver_signed(SECRET)[:2], (401, "invalid_signature"))
            self.assertEqual(self.columns()[1], SECRET)
            # ... the next authenticated delivery erases it.
            self.assert_authenticated(new_secret)
            self.assertEqual(self.columns()[1:], (None, None))
            self.system.invalidate_recordset()
            self.assertFalse(self.system.sudo().previous_secret)

            # The daily housekeeping erases those of systems that received nothing since, and
            # keeps those still in their grace period.
            self.system.with_user(self.user_manager).action_rotate_secret()
            other = self.env["construction.sync.system"].create({"name": "Other", "code": "other"})
            other.with_user(self.user_manager).action_rotate_secret()
            self.system.sudo().previous_secret_valid_until = fields.Datetime.now() - timedelta(hours=1)
            self.env["construction.sync.system"]._cron_secret_housekeeping()
            self.assertEqual(self.columns()[1:], (None, None))
            self.assertTrue(self.columns(other)[1])

    def test_secrets_appear_in_no_export_chatter_audit_or_log(self):
        manager = self.user_manager
        manager.groups_id += self.env.ref("base.group_allow_export")
        with server_key(KEY), self.assertLogs("odoo", "DEBUG") as logs:
            self.system.sudo().secret = SECRET
            self.system.with_user(manager).action_rotate_secret()
            new_secret = self.system.sudo().secret
            self.assert_authenticated(new_secret)
            self.assert_authenticated(SECRET)
            self.env["construction.sync.system"]._cron_secret_housekeeping()
            self.env.flush_all()
        secrets = (SECRET, new_secret, SECRET[len("whsec_"):], new_secret[len("whsec_"):])
        # Every query and its parameters were logged (odoo.sql_db at DEBUG): only ciphertext.
        output = "\n".join(logs.output)
        self.assertIn('UPDATE "construction_sync_system" SET "secret"', output)
        for secret in secrets:
            self.assertNotIn(secret, output)

        # Exports, by a manager, of the system and through another model's path to it.
        self.assertFalse(self.env["construction.sync.system"].fields_get(["secret"])["secret"]["exportable"])
        rows = self.system.with_user(manager).export_data(["name", "secret", "previous_secret", "code"])["datas"]
        self.assertEqual(rows, [[self.system.name, "", "", self.system.code]])
        rejected = self.env["construction.sync.rejected.delivery"].search([("system_id", "=", self.system.id)])
        self.assertTrue(rejected)
        rows = rejected.with_user(manager).export_data(["webhook_id", "system_id/secret", "system_id/code"])["datas"]
        self.assertEqual({tuple(row[1:]) for row in rows}, {("", self.system.code)})

        # The chatter says who rotated and until when, and tracks nothing secret.
        messages = self.system.message_ids
        self.assertIn("Signing secret rotated by", " ".join(messages.mapped("body")))
        tracked = self.env["mail.tracking.value"].sudo().search([("mail_message_id", "in", messages.ids)])
        self.assertNotIn("secret", tracked.field_id.mapped("name"))
        # No row of the engine's or the mail tables holds a secret, encrypted columns aside.
        self.env.cr.execute("""
            SELECT table_name, column_name FROM information_schema.columns
             WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'jsonb')
               AND (table_name LIKE 'construction_sync%%' OR table_name LIKE 'mail%%')
        """)
        for table, column in self.env.cr.fetchall():
            for secret in secrets:
                self.env.cr.execute('SELECT count(*) FROM "%s" WHERE "%s"::text LIKE %%s' % (table, column),
                                    ("%" + secret + "%",))
                self.assertEqual(self.env.cr.fetchone()[0], 0, "%s.%s holds a signing secret" % (table, column))

    def test_copies_get_their_own_secret_and_bad_secrets_are_refused_without_quoting_them(self):
        with server_key(KEY):
            self.system.sudo().secret = SECRET
            self.system.with_user(self.user_manager).action_rotate_secret()
            copy = self.system.sudo().copy({"code": "field-copy"})
            self.assertTrue(copy.secret.startswith("whsec_"))
            self.assertNotIn(copy.secret, (SECRET, self.system.sudo().secret))
            self.assertFalse(copy.previous_secret)
            self.assertFalse(copy.previous_secret_valid_until)
            with self.assertRaises(ValidationError) as caught:
                self.system.sudo().secret = "whsec_not-base64-at-all!"
            self.assertNotIn("not-base64", str(caught.exception))
        with self.assertRaises(signature.SignatureError) as caught:
            signature.verify([SECRET], "msg_1", 1, BODY, "v1,bm9wZQ==")
        self.assertNotIn(SECRET, str(caught.exception))
