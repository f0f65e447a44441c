"""Hostile and malformed input at the webhook endpoint (issue 12): every case gets a 4xx JSON
error naming the problem, stores no event and creates no record, over real HTTP with deliveries
signed over the exact raw bytes sent.

What is kept under Rejected Deliveries: the refusals of an authenticated body that parsed (400
malformed_json for its values, 422 invalid_payload, 422 invalid_timestamp), with NUL characters
and lone surrogates escaped; never a body that is not JSON at all (not UTF-8, too deep)."""

import json
import time
from datetime import datetime, timedelta, timezone

from odoo.tests import tagged

from odoo.addons.construction_sync.sync.fragments import MONEY_LIMIT
from odoo.addons.construction_sync.tests.common import SyncHttpCase, signed_headers

from .common import CONTACT, CONTACT_MODEL, SITE, SITE_MODEL

URL = "/construction_sync/webhook/field"
BATCH_URL = URL + "/batch"
SITE_DATA = {"id": "S-1", "name": "Riverside MOB", "contract_value": 4850000.0, "retention_percent": 10}
CONTACT_DATA = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer"}
PAST = "2026-11-23T08:00:00Z"


def raw(document, **literals):
    """`document` as JSON text in which each string "@name" is replaced by literals[name], written
    as is: the hostile text json.dumps would never produce."""
    text = json.dumps(document)
    for name, literal in literals.items():
        placeholder = json.dumps("@" + name)
        assert placeholder in text, name
        text = text.replace(placeholder, literal)
    return text.encode()


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@tagged("post_install", "-at_install")
class TestHostileInput(SyncHttpCase):
    def setUp(self):
        super().setUp()
        self.Rejected = self.env["construction.sync.rejected.delivery"]

    # helpers --------------------------------------------------------------------------------

    def send(self, body, url=URL, timestamp=None, webhook_id=None):
        return self.post(url, body, signed_headers(body, timestamp=timestamp, webhook_id=webhook_id))

    def counts(self):
        """(events, rejected deliveries, sites, contacts) of the test system."""
        return (self.Event.search_count([("system_id", "=", self.system.id)]),
                self.Rejected.search_count([("system_id", "=", self.system.id)]),
                self.env[SITE_MODEL].search_count([]),
                self.env[CONTACT_MODEL].search_count([]))

    def assert_refused(self, response, status, code, field=None):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")
        error = response.json()["error"]
        self.assertEqual(error["code"], code, error)
        self.assertTrue(error["message"])
        if field is not None:
            self.assertIn(field, [detail["field"] for detail in error["details"]], error)
        return error

    def assert_kept(self, status, code, event_type=SITE):
        """The one rejected delivery of the test system, kept with its status and code."""
        self.env.invalidate_all()
        rejected = self.Rejected.search([("system_id", "=", self.system.id)])
        self.assertEqual(len(rejected), 1)
        self.assertEqual((rejected.http_status, rejected.error_code, rejected.event_type), (status, code, event_type))
        self.assertTrue(rejected.details)
        return rejected

    def refuse_single(self, body, field, status=400, code="malformed_json", kept=True):
        before = self.counts()
        response = self.send(body)
        error = self.assert_refused(response, status, code, field)
        self.assertEqual(self.counts(), (before[0], before[1] + kept, before[2], before[3]))
        return error

    # malformed JSON, single delivery ---------------------------------------------------------

    def test_nesting_100000_levels_is_refused_whole_and_not_kept(self):
        body = raw({"type": SITE, "timestamp": PAST, "data": "@deep"}, deep="[" * 100000 + "]" * 100000)
        error = self.refuse_single(body, "(root)", kept=False)
        self.assertIn("deeper than 64 levels", error["message"])

    def test_raw_lone_surrogate_is_not_utf8_refused_whole_and_not_kept(self):
        # A lone surrogate encoded as if it were a character (CESU-8 / WTF-8): not UTF-8.
        body = json.dumps({"type": SITE, "timestamp": PAST, "data": SITE_DATA}).encode().replace(
            b"Riverside", b"River\xed\xa0\x80side")
        self.assertIn(b"\xed\xa0\x80", body)
        error = self.refuse_single(body, "(root)", kept=False)
        self.assertIn("utf-8", error["message"])

    def test_escaped_lone_surrogate_is_refused_and_kept_escaped(self):
        body = raw({"type": "@type", "timestamp": PAST, "data": dict(SITE_DATA, name="@bad")},
                   type='"%s\\ud800"' % SITE, bad='"Riverside \\udc00"')
        error = self.refuse_single(body, "data.name")
        self.assertEqual({d["field"] for d in error["details"]}, {"type", "data.name"})
        self.assertIn("surrogate", error["details"][0]["message"])
        rejected = self.assert_kept(400, "malformed_json", event_type=SITE + "\\ud800")
        self.assertEqual(rejected.body, body.decode())

    def test_number_overflowing_a_double_is_refused(self):
        body = raw({"type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, contract_value="@big")}, big="1e999")
        error = self.refuse_single(body, "data.contract_value")
        self.assertIn("too large", error["details"][0]["message"])
        self.assertIn("1e999", self.assert_kept(400, "malformed_json").body)

    def test_nan_literal_is_refused(self):
        body = raw({"type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, retention_percent="@nan")}, nan="NaN")
        error = self.refuse_single(body, "data.retention_percent")
        self.assertIn("NaN is not a JSON number", error["details"][0]["message"])
        self.assert_kept(400, "malformed_json")

    def test_infinity_literal_is_refused(self):
        body = raw({"type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, contract_value="@inf")}, inf="-Infinity")
        self.refuse_single(body, "data.contract_value")
        self.assert_kept(400, "malformed_json")

    def test_escaped_nul_in_a_string_is_refused_and_kept_escaped(self):
        body = raw({"type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, name="@nul")}, nul='"River\\u0000side"')
        error = self.refuse_single(body, "data.name")
        self.assertIn("NUL", error["details"][0]["message"])
        rejected = self.assert_kept(400, "malformed_json")
        self.assertIn("River\\u0000side", rejected.body)
        self.assertNotIn("\x00", rejected.body)

    def test_duplicate_keys_are_refused_not_last_wins(self):
        body = raw({"type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, name="@dup")},
                   dup='"Riverside MOB", "name": "Someone Else\'s Site"')
        error = self.refuse_single(body, "data")
        self.assertIn('"name"', error["details"][0]["message"])
        self.assertIn("Someone Else", self.assert_kept(400, "malformed_json").body)

    def test_amounts_beyond_what_the_books_hold_are_refused_by_the_schema(self):
        body = json.dumps({"type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, contract_value=1e20)}).encode()
        error = self.refuse_single(body, "data.contract_value", status=422, code="invalid_payload")
        self.assertIn("at most", error["details"][0]["message"])
        self.assert_kept(422, "invalid_payload")
        # The bound itself is accepted.
        body = json.dumps({"type": SITE, "timestamp": PAST,
                           "data": dict(SITE_DATA, contract_value=MONEY_LIMIT)}).encode()
        response = self.send(body)
        self.assertEqual(response.status_code, 202, response.text)

    def test_every_published_amount_is_bounded(self):
        """Every number of every payload schema has a maximum (the books' bound for amounts)."""
        unbounded = []

        def walk(schema, where):
            types = schema.get("type")
            types = [types] if isinstance(types, str) else (types or [])
            if "number" in types and "maximum" not in schema:
                unbounded.append(where)
            for name, sub in schema.get("properties", {}).items():
                walk(sub, "%s.%s" % (where, name))
            if isinstance(schema.get("items"), dict):
                walk(schema["items"], where + "[]")

        for event_type, handler in self.env["construction.sync.handler"]._handlers().items():
            walk(handler.schema, event_type)
        self.assertEqual(unbounded, [])

    # event timestamps ------------------------------------------------------------------------

    def refuse_timestamp(self, timestamp, expected):
        body = json.dumps({"type": SITE, "timestamp": timestamp, "data": SITE_DATA}).encode()
        error = self.refuse_single(body, "timestamp", status=422, code="invalid_timestamp")
        self.assertEqual(len(error["details"]), 1)
        self.assertIn(expected, error["details"][0]["message"])
        self.assert_kept(422, "invalid_timestamp")

    def test_year_9999_with_a_negative_offset_is_refused_not_500(self):
        self.refuse_timestamp("9999-12-31T23:00-05:00", "no equivalent in UTC")

    def test_year_0001_with_a_positive_offset_is_refused_not_500(self):
        self.refuse_timestamp("0001-01-01T00:30+05:00", "no equivalent in UTC")

    def test_timestamps_before_the_floor_are_refused(self):
        self.refuse_timestamp("1999-12-31T23:59:59Z", "before 2000-01-01T00:00:00Z")

    def test_future_tolerance_is_measured_from_the_webhook_timestamp(self):
        sent = int(time.time())
        moment = datetime.fromtimestamp(sent, timezone.utc)
        body = json.dumps({"type": SITE, "timestamp": iso(moment + timedelta(minutes=10)), "data": SITE_DATA}).encode()
        response = self.send(body, timestamp=sent)
        error = self.assert_refused(response, 422, "invalid_timestamp", "timestamp")
        self.assertIn("600 s after the webhook-timestamp", error["details"][0]["message"])
        self.assertIn("at most 300 s", error["details"][0]["message"])
        self.assertEqual(self.counts()[:2], (0, 1))

        body = json.dumps({"type": SITE, "timestamp": iso(moment + timedelta(minutes=4)), "data": SITE_DATA}).encode()
        response = self.send(body, timestamp=sent)
        self.assertEqual(response.status_code, 202, response.text)
        event = self.Event.browse(response.json()["event_id"])
        self.assertEqual(event.source_timestamp, (moment + timedelta(minutes=4)).replace(tzinfo=None))

        # The tolerance is the system's: widened, the same 10 minutes pass.
        self.system.future_tolerance_seconds = 900
        self.env.flush_all()
        body = json.dumps({"type": SITE, "timestamp": iso(moment + timedelta(minutes=10)),
                           "data": dict(SITE_DATA, name="Later")}).encode()
        response = self.send(body, timestamp=sent)
        self.assertEqual(response.status_code, 202, response.text)

    # batches ---------------------------------------------------------------------------------

    def test_a_batch_refuses_only_the_bad_events_with_their_own_outcome(self):
        sent = int(time.time())
        future = iso(datetime.fromtimestamp(sent, timezone.utc) + timedelta(days=365 * 7000))
        events = [
            {"id": "good-contact", "type": CONTACT, "timestamp": PAST, "data": CONTACT_DATA},
            {"id": "nan", "type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, id="S-2", contract_value="@nan")},
            {"id": "nul", "type": "@type", "timestamp": PAST, "data": dict(SITE_DATA, id="S-3", name="@nul")},
            {"id": "dup", "type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, id="S-4", name="@dup")},
            {"id": "future", "type": SITE, "timestamp": "9999-12-31T23:00-05:00", "data": dict(SITE_DATA, id="S-5")},
            {"id": "later", "type": SITE, "timestamp": future, "data": dict(SITE_DATA, id="S-6")},
            {"id": "huge", "type": SITE, "timestamp": PAST, "data": dict(SITE_DATA, id="S-7", contract_value=1e20)},
            {"id": "good-site", "type": SITE, "timestamp": PAST, "data": SITE_DATA},
        ]
        body = raw({"events": events}, nan="NaN", type='"%s\\ud800"' % SITE, nul='"x\\u0000y"',
                   dup='"A", "name": "B"')
        response = self.send(body, url=BATCH_URL, timestamp=sent)
        self.assertEqual(response.status_code, 202, response.text)
        reply = response.json()
        outcomes = [(o["id"], o["status"], o["http_status"], o.get("error", {}).get("code"),
                     [d["field"] for d in o.get("error", {}).get("details", [])]) for o in reply["events"]]
        self.assertEqual(outcomes, [
            ("good-contact", "accepted", 202, None, []),
            ("nan", "rejected", 400, "malformed_json", ["data.contract_value"]),
            ("nul", "rejected", 400, "malformed_json", ["type", "data.name"]),
            ("dup", "rejected", 400, "malformed_json", ["data"]),
            ("future", "rejected", 422, "invalid_timestamp", ["timestamp"]),
            ("later", "rejected", 422, "invalid_timestamp", ["timestamp"]),
            ("huge", "rejected", 422, "invalid_payload", ["data.contract_value"]),
            ("good-site", "accepted", 202, None, []),
        ])
        self.assertEqual(reply["summary"], {"accepted": 2, "duplicates": 0, "rejected": 6})
        stored = self.Event.search([("system_id", "=", self.system.id)])
        self.assertEqual(sorted(stored.mapped("webhook_id")), ["good-contact", "good-site"])
        # Every refusal is kept, its body as sent (escaped where PostgreSQL could not hold it).
        rejected = {r.webhook_id: r for r in self.Rejected.search([("system_id", "=", self.system.id)])}
        self.assertEqual(sorted(rejected), ["dup", "future", "huge", "later", "nan", "nul"])
        self.assertIn('"contract_value":NaN', rejected["nan"].body)
        self.assertIn('"name":"A","name":"B"', rejected["dup"].body)
        self.assertIn('x\\u0000y', rejected["nul"].body)
        self.assertEqual(rejected["nul"].event_type, SITE + "\\ud800")
        self.assertEqual({r.delivery_id for r in rejected.values()}, {stored[0].delivery_id})
        # The good events apply; the refused ones created nothing.
        self.drain()
        self.assertEqual(set(stored.mapped("state")), {"done"})
        self.assertEqual(self.env[SITE_MODEL].search([]).mapped("name"), ["Riverside MOB"])

    def test_a_batch_that_is_not_json_or_nests_too_deep_is_refused_whole(self):
        good = {"id": "good", "type": SITE, "timestamp": PAST, "data": SITE_DATA}
        cases = {
            "truncated": json.dumps({"events": [good]}).encode()[:-5],
            "too deep": raw({"events": [good, "@deep"]}, deep="[" * 100000 + "]" * 100000),
            "not utf-8": json.dumps({"events": [good]}).encode().replace(b"Riverside", b"River\xed\xa0\x80side"),
        }
        for name, body in cases.items():
            with self.subTest(name):
                self.assert_refused(self.send(body, url=BATCH_URL), 400, "malformed_json", "(root)")
        self.assertEqual(self.counts(), (0, 0, 0, 0))

    def test_a_batch_with_bad_values_outside_its_events_is_refused_whole(self):
        good = {"id": "good", "type": SITE, "timestamp": PAST, "data": SITE_DATA}
        # Two "events" keys: another parser would read the other list.
        body = raw({"events": [good], "@dup": 0}).replace(b'"@dup": 0', b'"events": []')
        self.assert_refused(self.send(body, url=BATCH_URL, webhook_id="batch_dup"), 400, "malformed_json", "(root)")
        rejected = self.assert_kept(400, "malformed_json", event_type=False)
        self.assertEqual((rejected.webhook_id, rejected.body), ("batch_dup", body.decode()))
        # An event id that cannot be echoed in the reply or stored refuses the batch too.
        body = raw({"events": [dict(good, id="@id")]}, id='"evt\\ud800"')
        error = self.assert_refused(self.send(body, url=BATCH_URL), 400, "malformed_envelope", "events[0].id")
        self.assertIn("surrogate", error["details"][0]["message"])
        self.assertEqual(self.counts(), (0, 1, 0, 0))

    # the watermark ---------------------------------------------------------------------------

    def test_a_bad_timestamp_does_not_silence_later_updates(self):
        sent = int(time.time())
        now = datetime.fromtimestamp(sent, timezone.utc)

        def deliver(name, timestamp):
            body = json.dumps({"type": SITE, "timestamp": timestamp, "data": dict(SITE_DATA, name=name)}).encode()
            return self.send(body, timestamp=sent)

        first = deliver("Original", iso(now - timedelta(hours=1)))
        self.assertEqual(first.status_code, 202, first.text)
        self.drain()
        # A real but buggy sender dates an update in year 9999: refused, it never becomes the
        # site's watermark.
        self.assert_refused(deliver("From the future", "9999-12-31T23:00-05:00"), 422, "invalid_timestamp", "timestamp")
        self.assert_refused(deliver("From the future", "9999-12-31T23:00:00Z"), 422, "invalid_timestamp", "timestamp")
        # So the next genuine update applies instead of going stale.
        update = deliver("Updated", iso(now))
        self.assertEqual(update.status_code, 202, update.text)
        self.drain()
        self.env.invalidate_all()
        event = self.Event.browse(update.json()["event_id"])
        self.assertEqual(event.state, "done")
        site = self.env[SITE_MODEL].search([])
        self.assertEqual(site.name, "Updated")
        mapping = self.Mapping._find(self.system, SITE_MODEL, "S-1")
        self.assertEqual((mapping.last_event_id, mapping.last_source_timestamp), (event, now.replace(tzinfo=None)))
        self.assertEqual(self.Event.search_count([("system_id", "=", self.system.id), ("state", "=", "stale")]), 0)
