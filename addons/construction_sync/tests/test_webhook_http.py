import json
import time

from odoo.tests import tagged

from .common import SyncHttpCase, envelope, signed_headers

URL = "/construction_sync/webhook/field"
# No addon declares this type: every refusal tested here comes before the event type is looked
# at, or is the refusal of an unknown type, so these tests pass with the engine installed alone.
UNKNOWN_TYPE = "invoice.exploded"
DATA = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer", "email": "ap@harbor.example"}


@tagged("post_install", "-at_install")
class TestWebhookHttp(SyncHttpCase):
    """The replies of the webhook endpoint that need no known event type, over real HTTP, against
    real Odoo and PostgreSQL. Accepted deliveries, duplicates, conflicts, schema failures, disabled
    types, rate limits and batch outcomes need an event type: see test_construction_sync."""

    def test_400_malformed_json_and_envelope(self):
        response, _h = self.deliver_http(b'{"type": "%s",' % UNKNOWN_TYPE.encode())
        self.assert_error(response, 400, "malformed_json")
        response, _h = self.deliver_http({"type": UNKNOWN_TYPE, "timestamp": "yesterday", "data": []})
        error = self.assert_error(response, 400, "malformed_envelope")
        self.assertEqual({d["field"] for d in error["details"]}, {"timestamp", "data"})
        self.assertEqual(self.stored(), (0, 0))

    def test_401_unsigned_badly_signed_or_stale_deliveries_store_nothing(self):
        body = json.dumps(envelope(UNKNOWN_TYPE, DATA)).encode()
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
        # The same body correctly signed passes the signature check (and is refused for its type).
        self.assert_error(self.post(URL, body, good), 422, "unknown_event_type")

    def test_404_unknown_or_inactive_system(self):
        response, _h = self.deliver_http(envelope(UNKNOWN_TYPE, DATA), url="/construction_sync/webhook/nope")
        self.assert_error(response, 404, "unknown_system")
        self.system.active = False
        response, _h = self.deliver_http(envelope(UNKNOWN_TYPE, DATA))
        self.assert_error(response, 404, "unknown_system")

    def test_unsigned_requests_are_answered_alike_whatever_the_code(self):
        # Missing signature headers are refused before the code is looked up: an unsigned request
        # learns nothing about which codes exist. Well-formed headers with a wrong signature do
        # tell a known code (401) from an unknown one (404), as the contract always did.
        body = json.dumps(envelope(UNKNOWN_TYPE, DATA)).encode()
        unsigned = {"Content-Type": "application/json"}
        known = self.post(URL, body, unsigned)
        unknown = self.post("/construction_sync/webhook/nope", body, unsigned)
        self.assert_error(known, 401, "invalid_signature")
        self.assertEqual((unknown.status_code, unknown.json()), (known.status_code, known.json()))
        forged = signed_headers(body, secret="whsec_" + "A" * 32)
        self.assert_error(self.post(URL, body, forged), 401, "invalid_signature")
        self.assert_error(self.post("/construction_sync/webhook/nope", body, forged), 404, "unknown_system")

    def test_405_wrong_method(self):
        response = self.url_open(URL)
        error = self.assert_error(response, 405, "method_not_allowed")
        self.assertEqual(response.headers["Allow"], "POST")
        self.assertIn("POST", error["message"])

    def test_413_server_limit_before_authentication_system_limit_after(self):
        self.env["ir.config_parameter"].sudo().set_param("construction_sync.unauthenticated_max_body_bytes", "1000")
        self.system.max_body_bytes = 200
        big = json.dumps(envelope(UNKNOWN_TYPE, dict(DATA, name="x" * 250))).encode()
        # Over the system's own limit but under the server-wide one: badly signed, it is refused
        # for its signature, so the system's limit is not revealed to a request that cannot sign ...
        response = self.post(URL, big, dict(signed_headers(big), **{"webhook-signature": "v1,bm9wZQ=="}))
        self.assert_error(response, 401, "invalid_signature")
        # ... signed, the system's limit applies.
        error = self.assert_error(self.post(URL, big, signed_headers(big)), 413, "body_too_large")
        self.assertIn("200 bytes", error["message"])
        # Over the server-wide limit: refused on its Content-Length, before the body is read or
        # the code looked up, whatever the code.
        huge = json.dumps(envelope(UNKNOWN_TYPE, dict(DATA, name="x" * 1200))).encode()
        for url in (URL, "/construction_sync/webhook/nope"):
            error = self.assert_error(self.post(url, huge, signed_headers(huge)), 413, "body_too_large")
            self.assertIn("1000 bytes", error["message"])
        self.assertEqual(self.stored(), (0, 0))

    def test_415_not_json(self):
        response, _h = self.deliver_http(envelope(UNKNOWN_TYPE, DATA), content_type="text/plain")
        self.assert_error(response, 415, "unsupported_media_type")
        self.assertEqual(self.stored(), (0, 0))
        # A JSON media type with parameters passes the media type check (and reaches the type's).
        response, _h = self.deliver_http(envelope(UNKNOWN_TYPE, DATA), content_type="application/json; charset=utf-8")
        self.assert_error(response, 422, "unknown_event_type")

    def test_422_unknown_type_is_kept_for_inspection(self):
        response, _h = self.deliver_http(envelope(UNKNOWN_TYPE, {"id": 1}), webhook_id="msg_unknown")
        error = self.assert_error(response, 422, "unknown_event_type")
        self.assertIn(repr(UNKNOWN_TYPE), error["message"])
        rejected = self.env["construction.sync.rejected.delivery"].search([("system_id", "=", self.system.id)])
        self.assertEqual((rejected.webhook_id, rejected.http_status, rejected.error_code, rejected.event_type),
                         ("msg_unknown", 422, "unknown_event_type", UNKNOWN_TYPE))
        self.assertIn('"id": 1', rejected.body)
        self.assertEqual(self.stored(), (0, 1))

    def test_batch_envelope_limits(self):
        response, _h = self.deliver_http({"events": []}, url=URL + "/batch")
        self.assert_error(response, 400, "malformed_envelope")
        response, _h = self.deliver_http({"events": [envelope(UNKNOWN_TYPE, DATA)]}, url=URL + "/batch")
        error = self.assert_error(response, 400, "malformed_envelope")
        self.assertEqual(error["details"][0]["field"], "events[0].id")
        self.system.max_body_bytes = 10 * 1024 * 1024
        too_many = [dict(envelope(UNKNOWN_TYPE, DATA), id="e%d" % i) for i in range(501)]
        response, _h = self.deliver_http({"events": too_many}, url=URL + "/batch")
        self.assert_error(response, 413, "batch_too_large")
        self.assertEqual(self.stored(), (0, 0))

    def test_a_batch_of_unknown_types_rejects_each_event_and_keeps_them(self):
        events = [dict(envelope(UNKNOWN_TYPE, DATA), id="evt-%d" % i) for i in range(2)]
        response, _h = self.deliver_http({"events": events}, url=URL + "/batch")
        self.assertEqual(response.status_code, 200, response.text)
        reply = response.json()
        self.assertEqual([(o["id"], o["status"], o["http_status"], o["error"]["code"]) for o in reply["events"]], [
            ("evt-0", "rejected", 422, "unknown_event_type"),
            ("evt-1", "rejected", 422, "unknown_event_type"),
        ])
        self.assertEqual(reply["summary"], {"accepted": 0, "duplicates": 0, "rejected": 2})
        self.assertEqual(self.stored(), (0, 2))

    def test_openapi_describes_every_event_type_and_every_reply(self):
        response = self.url_open("/construction_sync/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertEqual(document["openapi"], "3.1.0")
        schemas = document["components"]["schemas"]
        self.assertEqual(sorted(document["x-event-types"]),
                         sorted(self.env["construction.sync.handler"]._event_types()))
        self.assertEqual(set(schemas), {"Error", *document["x-event-types"]})
        for event_type in document["x-event-types"]:
            self.assertEqual(schemas[event_type]["properties"]["type"], {"const": event_type})
        responses = document["paths"]["/construction_sync/webhook/{code}"]["post"]["responses"]
        self.assertEqual(sorted(responses),
                         sorted(["200", "202", "400", "401", "404", "405", "409", "413", "415", "422", "429", "503"]))
        self.assertIn("unauthenticated_rate_limited", responses["429"]["description"])
        self.assertIn("Retry-After", responses["503"]["headers"])
