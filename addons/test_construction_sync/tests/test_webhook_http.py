import json

from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import SyncHttpCase, envelope, signed_headers

from .common import CONTACT, CONTACT_MODEL

URL = "/construction_sync/webhook/field"
CONTACT_DATA = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer", "email": "ap@harbor.example"}


@tagged("post_install", "-at_install")
class TestWebhookHttp(SyncHttpCase):
    """The replies of the webhook endpoint that need a known event type, over real HTTP, against
    real Odoo and PostgreSQL (the ones that need none are tested in construction_sync)."""

    def test_202_accepted_then_200_duplicate_creates_nothing_again(self):
        body = json.dumps(envelope(CONTACT, CONTACT_DATA)).encode()
        headers = signed_headers(body, webhook_id="msg_dup_1")
        first = self.post(URL, body, headers)
        self.assertEqual(first.status_code, 202, first.text)
        self.assertEqual(first.json()["status"], "accepted")
        event = self.Event.browse(first.json()["event_id"])
        self.assertEqual((event.state, event.webhook_id, event.event_type), ("pending", "msg_dup_1", CONTACT))
        self.assertEqual(event.payload, body.decode())
        self.assertEqual(event.object_key, "%s:C-1" % CONTACT_MODEL)
        # The same id and body again, re-signed later and with other whitespace: a duplicate.
        again = json.dumps(envelope(CONTACT, CONTACT_DATA), indent=2).encode()
        second = self.post(URL, again, signed_headers(again, webhook_id="msg_dup_1"))
        self.assertEqual(second.status_code, 200, second.text)
        self.assertEqual(second.json(), {"status": "duplicate", "event_id": event.id, "webhook_id": "msg_dup_1"})
        self.assertEqual(self.stored(), (1, 0))

    def test_409_same_id_different_body_is_kept_for_inspection(self):
        self.deliver_http(envelope(CONTACT, CONTACT_DATA), webhook_id="msg_conflict")
        changed = envelope(CONTACT, dict(CONTACT_DATA, name="Someone Else"))
        response, _headers = self.deliver_http(changed, webhook_id="msg_conflict")
        self.assert_error(response, 409, "conflicting_duplicate")
        rejected = self.env["construction.sync.rejected.delivery"].search([("webhook_id", "=", "msg_conflict")])
        self.assertEqual(rejected.http_status, 409)
        self.assertIn("Someone Else", rejected.body)
        self.assertEqual(self.stored(), (1, 1))

    def test_rotated_secret_keeps_the_previous_one_for_the_grace_period(self):
        self.system.with_user(self.user_manager).action_rotate_secret()
        self.assertNotEqual(self.system.sudo().secret, self.system.sudo().previous_secret)
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA))  # signed with the old secret
        self.assertEqual(response.status_code, 202, response.text)
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA), secret=self.system.sudo().secret)
        self.assertEqual(response.status_code, 202, response.text)
        self.system.sudo().previous_secret_valid_until = "2000-01-01 00:00:00"
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA))
        self.assert_error(response, 401, "invalid_signature")

    def test_415_not_json(self):
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA), content_type="text/plain")
        self.assert_error(response, 415, "unsupported_media_type")
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA),
                                         content_type="application/json; charset=utf-8")
        self.assertEqual(response.status_code, 202, response.text)

    def test_422_unknown_type_and_schema_failures_with_details_are_kept(self):
        response, _h = self.deliver_http(envelope("invoice.exploded", {"id": 1}), webhook_id="msg_unknown")
        error = self.assert_error(response, 422, "unknown_event_type")
        self.assertIn(CONTACT, error["message"], "the reply names the types this database knows")
        response, _h = self.deliver_http(
            envelope(CONTACT, {"id": "C-2", "kind": "friend", "email": "not-an-email"}),
            webhook_id="msg_invalid",
        )
        error = self.assert_error(response, 422, "invalid_payload")
        self.assertEqual(
            sorted((d["field"], d["message"]) for d in error["details"]),
            [("data.email", "must be a valid email"),
             ("data.kind", "must be one of 'customer', 'vendor', 'subcontractor'"),
             ("data.name", "is required")],
        )
        rejected = self.env["construction.sync.rejected.delivery"].search([("system_id", "=", self.system.id)])
        self.assertEqual(sorted(rejected.mapped("error_code")), ["invalid_payload", "unknown_event_type"])
        self.assertIn("not-an-email", rejected.filtered(lambda r: r.webhook_id == "msg_invalid").body)
        self.assertEqual(self.stored(), (0, 2))

    def test_422_event_type_disabled_for_the_system(self):
        self.system.setting_ids.filtered(lambda s: s.event_type == CONTACT).enabled = False
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA))
        self.assert_error(response, 422, "event_type_disabled")

    def test_429_rate_limited_with_retry_after(self):
        self.system.rate_limit_per_minute = 2
        for _i in range(2):
            response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA))
            self.assertEqual(response.status_code, 202, response.text)
        response, _h = self.deliver_http(envelope(CONTACT, CONTACT_DATA))
        self.assert_error(response, 429, "rate_limited")
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= 61)
        self.assertEqual(self.stored(), (2, 0))

    def test_batch_lists_each_outcome(self):
        self.deliver_http(envelope(CONTACT, CONTACT_DATA), webhook_id="evt-known")
        events = [
            dict(envelope(CONTACT, dict(CONTACT_DATA, id="C-10", name="A")), id="evt-new-1"),
            dict(envelope(CONTACT, CONTACT_DATA), id="evt-known"),
            dict(envelope(CONTACT, dict(CONTACT_DATA, name="Changed")), id="evt-known"),
            dict(envelope(CONTACT, {"id": "C-11"}), id="evt-invalid"),
            dict(envelope(CONTACT, dict(CONTACT_DATA, id="C-12", name="B")), id="evt-new-2"),
            dict(envelope(CONTACT, dict(CONTACT_DATA, id="C-12", name="B")), id="evt-new-2"),
        ]
        response, _h = self.deliver_http({"events": events}, url=URL + "/batch")
        self.assertEqual(response.status_code, 202, response.text)
        reply = response.json()
        self.assertEqual([(o["id"], o["status"], o["http_status"]) for o in reply["events"]], [
            ("evt-new-1", "accepted", 202),
            ("evt-known", "duplicate", 200),
            ("evt-known", "rejected", 409),
            ("evt-invalid", "rejected", 422),
            ("evt-new-2", "accepted", 202),
            ("evt-new-2", "duplicate", 200),
        ])
        self.assertEqual(reply["summary"], {"accepted": 2, "duplicates": 2, "rejected": 2})
        self.assertEqual(reply["events"][3]["error"]["code"], "invalid_payload")
        self.assertEqual(self.stored(), (3, 2))
        batch_delivery = self.Event.search([("webhook_id", "=", "evt-new-1")])
        self.assertNotEqual(batch_delivery.delivery_id, "evt-new-1")
