import json
import random
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.construction_sync.sync import outbound, signature
from odoo.addons.construction_sync.tests.common import SECRET

from .common import CONTACT
from .outbound_common import CHANGED, OTHER_SECRET, RATED, OutboundCase


@tagged("post_install", "-at_install")
class TestOutboundPublish(OutboundCase):
    def test_one_message_per_record_and_subscription_in_the_transaction(self):
        second = self.env["construction.sync.subscription"].create({
            "name": "Portal", "system_id": self.system.id, "endpoint_url": "https://portal.example/hooks",
            "event_types": CHANGED})
        contacts = self.contact("A") | self.contact("B")
        self.Mapping.create({"system_id": self.system.id, "res_model": contacts._name, "external_id": "C-1",
                             "res_id": contacts[0].id})
        messages = self.publish(contacts)
        self.assertEqual(len(messages), 4)
        self.assertEqual(set(messages.subscription_id.ids), {self.subscription.id, second.id})
        first = messages.filtered(lambda m: m.res_id == contacts[0].id and m.subscription_id == self.subscription)
        body = json.loads(first.payload)
        self.assertEqual(body["type"], CHANGED)
        self.assertEqual(body["schema_version"], 2)
        self.assertEqual(body["data"], {"id": contacts[0].id, "external_ids": {"field": "C-1"}, "name": "A"})
        self.assertEqual(first.state, "pending")
        self.assertEqual(first.object_key, "construction.sync.test.contact:%s" % contacts[0].id)
        self.assertTrue(first.webhook_id.startswith("msg_"))
        self.assertEqual(len(set(messages.mapped("webhook_id"))), 4)

    def test_any_text_is_written_as_published(self):
        """Messages are written with COPY: the characters its text format escapes (backslash,
        tab, line breaks) and any other arrive unchanged, in the body that is signed and sent."""
        name = 'Back\\slash \\N\ttab\nline\r\nreturn "quoted" \u00e9t\u00e9 \U0001f3d7 \\t'
        contact = self.contact(name)
        message = self.publish(contact)
        message.invalidate_recordset()
        body = json.loads(message.payload)
        self.assertEqual(body["data"]["name"], name)
        self.assertEqual(message.payload, self.Outbox._body(CHANGED, 2, body["data"], body["timestamp"]))
        self.assertEqual((message.state, message.attempts, message.res_model, message.res_id),
                         ("pending", 0, contact._name, contact.id))
        self.assertEqual(self.Outbox.search([("webhook_id", "=", message.webhook_id)]), message)

    def test_rolled_back_transaction_leaves_no_message(self):
        contact = self.contact()
        with self.assertRaises(ZeroDivisionError):
            with self.env.cr.savepoint():
                self.publish(contact)
                self.assertEqual(self.Outbox.search_count([("res_id", "=", contact.id)]), 1)
                raise ZeroDivisionError("the business transaction fails after publishing")
        self.assertEqual(self.Outbox.search_count([("res_id", "=", contact.id)]), 0)

    def test_nothing_when_no_subscription_wants_the_type(self):
        self.subscription.event_types = RATED
        self.assertFalse(self.publish(self.contact(), CHANGED))
        self.assertEqual(len(self.publish(self.contact(), RATED)), 1)
        self.subscription.event_types = "%s, %s" % (RATED, CHANGED)
        self.assertEqual(len(self.publish(self.contact(), CHANGED)), 1)

    def test_inactive_subscription_gets_nothing(self):
        self.subscription.active = False
        self.assertFalse(self.publish(self.contact()))

    def test_company_isolation(self):
        other_company = self.env["res.company"].create({"name": "Other Builder"})
        other_system = self.env["construction.sync.system"].create(
            {"name": "Other platform", "code": "other", "company_id": other_company.id})
        other_subscription = self.env["construction.sync.subscription"].create({
            "name": "Other", "system_id": other_system.id, "endpoint_url": "https://other.example/hooks"})
        ours = self.contact()
        theirs = self.Contact.create({"name": "Theirs", "company_id": other_company.id})
        messages = self.publish(ours | theirs)
        self.assertEqual(messages.filtered(lambda m: m.res_id == ours.id).subscription_id, self.subscription)
        self.assertEqual(messages.filtered(lambda m: m.res_id == theirs.id).subscription_id, other_subscription)
        self.assertEqual(messages.filtered(lambda m: m.res_id == theirs.id).company_id, other_company)
        # An integration user of our company does not see the other company's messages.
        visible = self.Outbox.with_user(self.user_integration).search([("id", "in", messages.ids)])
        self.assertEqual(visible.res_id, ours.id)

    def test_unknown_type_and_wrong_model_are_refused(self):
        with self.assertRaisesRegex(ValueError, "unknown outbound event type"):
            self.publish(self.contact(), "contact.nope")
        with self.assertRaisesRegex(ValueError, "construction.sync.test.contact records"):
            self.publish(self.system, CHANGED)

    def test_subscription_checks_its_types_and_headers(self):
        with self.assertRaisesRegex(ValidationError, "Unknown outbound event types: nope.nothing"):
            self.subscription.event_types = "nope.nothing"
        with self.assertRaisesRegex(ValidationError, "JSON object of strings"):
            self.subscription.custom_headers = "[1]"
        with self.assertRaisesRegex(ValidationError, "may not set webhook-id"):
            self.subscription.custom_headers = '{"webhook-id": "x"}'

    def test_retry_schedule_with_jitter(self):
        rng = random.Random(7)
        # Svix's waits after attempts 1..7, each within ±10 %; after the 8th attempt, dead.
        for attempts, step in enumerate((5, 300, 1800, 7200, 18000, 36000, 36000), start=1):
            delays = [outbound.retry_delay(attempts, rng) for _i in range(50)]
            self.assertTrue(all(step * 0.9 <= delay <= step * 1.1 for delay in delays), (attempts, delays))
            self.assertGreater(len({round(delay, 3) for delay in delays}), 40)
        self.assertIsNone(outbound.retry_delay(8, rng))
        self.assertEqual(outbound.parse_retry_after(" 7 "), 7)
        self.assertEqual(outbound.parse_retry_after("Wed, 21 Oct 2026 07:28:00 GMT"), None)
        self.assertEqual(outbound.parse_retry_after("99999999"), 86400)

    def test_rotation_signs_with_both_secrets_during_the_grace(self):
        message = self.publish(self.contact())
        headers = message._request()[2]
        self.assertEqual(len(headers["webhook-signature"].split()), 1)
        self.subscription.with_user(self.user_manager).action_rotate_secret()
        new_secret = self.subscription.sudo().secret
        self.assertNotEqual(new_secret, SECRET)
        _url, body, headers, timeout = message._request()
        entries = headers["webhook-signature"].split()
        self.assertEqual(len(entries), 2)
        for secret in (SECRET, new_secret):
            self.assertEqual(signature.verify([secret], headers["webhook-id"], int(headers["webhook-timestamp"]),
                                              body, headers["webhook-signature"]), secret)
        self.assertEqual(headers["webhook-id"], message.webhook_id)
        self.assertEqual(timeout, 2)
        # After the grace only the new secret signs.
        self.subscription.sudo().previous_secret_valid_until = fields.Datetime.now() - timedelta(seconds=1)
        headers = message._request()[2]
        self.assertEqual(len(headers["webhook-signature"].split()), 1)
        with self.assertRaises(signature.SignatureError):
            signature.verify([SECRET], headers["webhook-id"], int(headers["webhook-timestamp"]), body,
                             headers["webhook-signature"])

    def test_custom_headers_are_sent(self):
        self.subscription.custom_headers = '{"X-Tenant": "north"}'
        headers = self.publish(self.contact())._request()[2]
        self.assertEqual(headers["X-Tenant"], "north")
        self.assertEqual(headers["Content-Type"], "application/json")

    def test_only_managers_rotate_retry_and_replay(self):
        message = self.publish(self.contact())
        with self.assertRaisesRegex(Exception, "integration managers"):
            self.subscription.with_user(self.user_integration).action_rotate_secret()
        with self.assertRaisesRegex(Exception, "integration managers"):
            message.with_user(self.user_integration).action_retry()

    def test_secret_is_not_the_inbound_one(self):
        subscription = self.env["construction.sync.subscription"].create({
            "name": "Fresh", "system_id": self.system.id, "endpoint_url": "https://fresh.example/hooks"})
        self.assertTrue(subscription.sudo().secret.startswith("whsec_"))
        self.assertNotIn(subscription.sudo().secret, (SECRET, OTHER_SECRET))
        self.assertFalse(subscription.with_user(self.user_integration).read(["name"])[0].get("secret"))

    def test_inbound_event_rejected_tells_the_source_why(self):
        self.system.setting_ids.filtered(lambda s: s.event_type == CONTACT).requires_approval = True
        event = self.deliver(CONTACT, {"id": "C-9", "name": "Doubtful", "kind": "vendor"}, webhook_id="msg_src_9")
        self.drain()
        self.assertEqual(event.state, "awaiting_approval")
        event.with_user(self.user_manager).action_reject("  Duplicate of C-8 ")
        message = self.Outbox.search([("event_type", "=", "inbound_event.rejected")])
        self.assertEqual(message.subscription_id, self.subscription)
        self.assertEqual((message.res_model, message.res_id), ("construction.sync.event", event.id))
        data = json.loads(message.payload)["data"]
        self.assertEqual({key: data[key] for key in ("webhook_id", "event_type", "system", "object_external_id",
                                                     "reason", "rejected_by")},
                         {"webhook_id": "msg_src_9", "event_type": CONTACT, "system": "field",
                          "object_external_id": "C-9", "reason": "Duplicate of C-8",
                          "rejected_by": self.user_manager.name})

    def test_openapi_lists_every_outbound_type_as_a_webhook(self):
        from odoo.addons.construction_sync.sync import openapi

        publishers = self.env["construction.sync.publisher"]._publishers()
        document = openapi.document("http://odoo.example", self.env["construction.sync.handler"]._handlers(),
                                    publishers)
        self.assertEqual(set(document["webhooks"]), set(publishers))
        body = document["webhooks"][CHANGED]["post"]["requestBody"]["content"]["application/json"]["schema"]
        self.assertEqual(body["properties"]["data"], publishers[CHANGED].schema)
        self.assertEqual(body["properties"]["schema_version"], {"const": 2})
        self.assertIn("inbound_event.rejected", document["webhooks"])

    def test_replay_wizard_counts_then_queues_the_range(self):
        message = self.publish(self.contact())
        message.sudo().write({"state": "dead", "attempts": 8})
        Wizard = self.env["construction.sync.outbox.replay.wizard"].with_user(self.user_manager)
        wizard = Wizard.create({"subscription_id": self.subscription.id,
                                "date_from": message.created_at - timedelta(minutes=1),
                                "date_to": message.created_at + timedelta(minutes=1)})
        self.assertEqual(wizard.match_count, 1)
        wizard.action_replay()
        self.assertEqual((message.state, message.attempts), ("pending", 0))
        with self.assertRaisesRegex(Exception, "No message"):
            wizard.action_replay()

    def test_delivered_messages_are_purged_after_the_retention(self):
        old, recent, dead = (self.publish(self.contact(name)) for name in "ABC")
        now = fields.Datetime.now()
        old.sudo().write({"state": "delivered", "delivered_at": now - timedelta(days=31)})
        recent.sudo().write({"state": "delivered", "delivered_at": now - timedelta(days=29)})
        dead.sudo().write({"state": "dead"})
        self.env.flush_all()
        self.assertEqual(self.Outbox._cron_purge(), 1)
        self.assertEqual((old.exists(), recent.exists(), dead.exists()), (self.Outbox, recent, dead))
