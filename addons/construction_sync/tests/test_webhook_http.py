import json
import time

from odoo.tests import tagged

from .common import SyncHttpCase, envelope, signed_headers

URL = "/construction_sync/webhook/field"
PARTNER = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer", "email": "ap@harbor.example"}


@tagged("post_install", "-at_install")
class TestWebhookHttp(SyncHttpCase):
    """Every reply of the webhook endpoint over real HTTP, against real Odoo and PostgreSQL."""

    def deliver_http(self, payload, url=URL, **header_kwargs):
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = signed_headers(body, **header_kwargs)
        return self.post(url, body, headers), headers

    def assert_error(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertTrue(error["message"])
        return error

    def stored(self):
        return (self.Event.search_count([("system_id", "=", self.system.id)]),
                self.env["construction.sync.rejected.delivery"].search_count([("system_id", "=", self.system.id)]))

    def test_202_accepted_then_200_duplicate_creates_nothing_again(self):
        body = json.dumps(envelope("partner.upserted", PARTNER)).encode()
        headers = signed_headers(body, webhook_id="msg_dup_1")
        first = self.post(URL, body, headers)
        self.assertEqual(first.status_code, 202, first.text)
        self.assertEqual(first.json()["status"], "accepted")
        event = self.Event.browse(first.json()["event_id"])
        self.assertEqual((event.state, event.webhook_id, event.event_type), ("pending", "msg_dup_1", "partner.upserted"))
        self.assertEqual(event.payload, body.decode())
        self.assertEqual(event.object_key, "res.partner:C-1")
        # The same id and body again, re-signed later and with other whitespace: a duplicate.
        again = json.dumps(envelope("partner.upserted", PARTNER), indent=2).encode()
        second = self.post(URL, again, signed_headers(again, webhook_id="msg_dup_1"))
        self.assertEqual(second.status_code, 200, second.text)
        self.assertEqual(second.json(), {"status": "duplicate", "event_id": event.id, "webhook_id": "msg_dup_1"})
        self.assertEqual(self.stored(), (1, 0))

    def test_409_same_id_different_body_is_kept_for_inspection(self):
        self.deliver_http(envelope("partner.upserted", PARTNER), webhook_id="msg_conflict")
        changed = envelope("partner.upserted", dict(PARTNER, name="Someone Else"))
        response, _headers = self.deliver_http(changed, webhook_id="msg_conflict")
        self.assert_error(response, 409, "conflicting_duplicate")
        rejected = self.env["construction.sync.rejected.delivery"].search([("webhook_id", "=", "msg_conflict")])
        self.assertEqual(rejected.http_status, 409)
        self.assertIn("Someone Else", rejected.body)
        self.assertEqual(self.stored(), (1, 1))

    def test_400_malformed_json_and_envelope(self):
        response, _h = self.deliver_http(b'{"type": "partner.upserted",')
        self.assert_error(response, 400, "malformed_json")
        response, _h = self.deliver_http({"type": "partner.upserted", "timestamp": "yesterday", "data": []})
        error = self.assert_error(response, 400, "malformed_envelope")
        self.assertEqual({d["field"] for d in error["details"]}, {"timestamp", "data"})
        self.assertEqual(self.stored(), (0, 0))

    def test_401_unsigned_badly_signed_or_stale_deliveries_store_nothing(self):
        body = json.dumps(envelope("partner.upserted", PARTNER)).encode()
        good = signed_headers(body)
        # Well outside the window: the exact ±300 s edges are tested with a fixed clock in
        # test_signature, where a slow request cannot move them.
        cases = {
            "no signature": dict(good, **{"webhook-signature": ""}),
            "wrong secret": signed_headers(body, secret="whsec_" + "A" * 32),
            "no id": {k: v for k, v in good.items() if k != "webhook-id"},
            "old timestamp": signed_headers(body, timestamp=int(time.time()) - 330),
            "future timestamp": signed_headers(body, timestamp=int(time.time()) + 330),
        }
        for name, headers in cases.items():
            with self.subTest(name):
                self.assert_error(self.post(URL, body, headers), 401, "invalid_signature")
        self.assertEqual(self.stored(), (0, 0))

    def test_rotated_secret_keeps_the_previous_one_for_the_grace_period(self):
        self.system.with_user(self.user_manager).action_rotate_secret()
        self.assertNotEqual(self.system.sudo().secret, self.system.sudo().previous_secret)
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER))  # signed with the old secret
        self.assertEqual(response.status_code, 202, response.text)
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER), secret=self.system.sudo().secret)
        self.assertEqual(response.status_code, 202, response.text)
        self.system.sudo().previous_secret_valid_until = "2000-01-01 00:00:00"
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER))
        self.assert_error(response, 401, "invalid_signature")

    def test_404_unknown_or_inactive_system(self):
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER), url="/construction_sync/webhook/nope")
        self.assert_error(response, 404, "unknown_system")
        self.system.active = False
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER))
        self.assert_error(response, 404, "unknown_system")

    def test_405_wrong_method(self):
        response = self.url_open(URL)
        error = self.assert_error(response, 405, "method_not_allowed")
        self.assertEqual(response.headers["Allow"], "POST")
        self.assertIn("POST", error["message"])

    def test_413_body_too_large_is_not_read(self):
        self.system.max_body_bytes = 200
        big = envelope("partner.upserted", dict(PARTNER, name="x" * 250))
        response, _h = self.deliver_http(big)
        self.assert_error(response, 413, "body_too_large")
        self.assertEqual(self.stored(), (0, 0))

    def test_415_not_json(self):
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER), content_type="text/plain")
        self.assert_error(response, 415, "unsupported_media_type")
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER),
                                         content_type="application/json; charset=utf-8")
        self.assertEqual(response.status_code, 202, response.text)

    def test_422_unknown_type_and_schema_failures_with_details_are_kept(self):
        response, _h = self.deliver_http(envelope("invoice.exploded", {"id": 1}), webhook_id="msg_unknown")
        self.assert_error(response, 422, "unknown_event_type")
        response, _h = self.deliver_http(
            envelope("partner.upserted", {"id": "C-2", "kind": "friend", "email": "not-an-email"}),
            webhook_id="msg_invalid",
        )
        error = self.assert_error(response, 422, "invalid_payload")
        self.assertEqual(
            sorted((d["field"], d["message"]) for d in error["details"]),
            [("data.email", "must be a valid email"), ("data.kind", "must be one of 'customer', 'vendor', 'subcontractor'"),
             ("data.name", "is required")],
        )
        rejected = self.env["construction.sync.rejected.delivery"].search([("system_id", "=", self.system.id)])
        self.assertEqual(sorted(rejected.mapped("error_code")), ["invalid_payload", "unknown_event_type"])
        self.assertIn("not-an-email", rejected.filtered(lambda r: r.webhook_id == "msg_invalid").body)
        self.assertEqual(self.stored(), (0, 2))

    def test_422_event_type_disabled_for_the_system(self):
        self.system.setting_ids.filtered(lambda s: s.event_type == "partner.upserted").enabled = False
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER))
        self.assert_error(response, 422, "event_type_disabled")

    def test_429_rate_limited_with_retry_after(self):
        self.system.rate_limit_per_minute = 2
        for _i in range(2):
            response, _h = self.deliver_http(envelope("partner.upserted", PARTNER))
            self.assertEqual(response.status_code, 202, response.text)
        response, _h = self.deliver_http(envelope("partner.upserted", PARTNER))
        self.assert_error(response, 429, "rate_limited")
        self.assertTrue(1 <= int(response.headers["Retry-After"]) <= 61)
        self.assertEqual(self.stored(), (2, 0))

    def test_batch_lists_each_outcome(self):
        self.deliver_http(envelope("partner.upserted", PARTNER), webhook_id="evt-known")
        events = [
            dict(envelope("partner.upserted", dict(PARTNER, id="C-10", name="A")), id="evt-new-1"),
            dict(envelope("partner.upserted", PARTNER), id="evt-known"),
            dict(envelope("partner.upserted", dict(PARTNER, name="Changed")), id="evt-known"),
            dict(envelope("partner.upserted", {"id": "C-11"}), id="evt-invalid"),
            dict(envelope("partner.upserted", dict(PARTNER, id="C-12", name="B")), id="evt-new-2"),
            dict(envelope("partner.upserted", dict(PARTNER, id="C-12", name="B")), id="evt-new-2"),
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

    def test_batch_envelope_limits(self):
        response, _h = self.deliver_http({"events": []}, url=URL + "/batch")
        self.assert_error(response, 400, "malformed_envelope")
        response, _h = self.deliver_http({"events": [envelope("partner.upserted", PARTNER)]}, url=URL + "/batch")
        error = self.assert_error(response, 400, "malformed_envelope")
        self.assertEqual(error["details"][0]["field"], "events[0].id")
        self.system.max_body_bytes = 10 * 1024 * 1024
        too_many = [dict(envelope("partner.upserted", PARTNER), id="e%d" % i) for i in range(501)]
        response, _h = self.deliver_http({"events": too_many}, url=URL + "/batch")
        self.assert_error(response, 413, "batch_too_large")
        self.assertEqual(self.stored(), (0, 0))

    def test_openapi_describes_every_event_type(self):
        response = self.url_open("/construction_sync/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertEqual(document["openapi"], "3.1.0")
        schemas = document["components"]["schemas"]
        for event_type in document["x-event-types"]:
            self.assertIn(event_type, schemas)
            self.assertEqual(schemas[event_type]["properties"]["type"], {"const": event_type})
        self.assertIn("partner.upserted", document["x-event-types"])
        responses = document["paths"]["/construction_sync/webhook/{code}"]["post"]["responses"]
        self.assertEqual(sorted(responses), sorted(["200", "202", "400", "401", "404", "405", "409", "413", "415", "422", "429"]))
