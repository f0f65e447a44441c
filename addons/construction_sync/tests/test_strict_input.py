"""The pure parts of the intake's refusal of hostile input (issue 12): strict JSON, what is kept of
a refused body, event timestamps. Over HTTP with event types: test_construction_sync's
test_hostile_input."""

import json
from datetime import datetime, timezone

from odoo.tests.common import BaseCase, tagged

from ..sync import envelope, fragments, schema, strict_json
from ..sync.errors import DeliveryRejected

# 2026-11-30T12:00:00Z
SENT = int(datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc).timestamp())


@tagged("post_install", "-at_install")
class TestStrictInput(BaseCase):
    def refusal(self, call, *args):
        with self.assertRaises(DeliveryRejected) as caught:
            call(*args)
        return caught.exception

    def test_timestamps_that_cannot_be_expressed_in_utc_are_no_date_time(self):
        for value in ("9999-12-31T23:00-05:00", "0001-01-01T00:30+05:00"):
            with self.subTest(value):
                self.assertIsNotNone(schema.parse_iso_datetime(value))
                self.assertIsNone(schema.parse_datetime(value))
                self.assertEqual(schema.validate(value, {"type": "string", "format": "date-time"}),
                                 [{"field": "(root)", "message": "must be a valid date-time"}])
        self.assertEqual(schema.to_utc(schema.parse_datetime("2026-11-23T08:00:00-05:00")),
                         datetime(2026, 11, 23, 13, 0))

    def test_event_timestamp_window(self):
        def check(value, tolerance=300):
            return envelope.check_timestamp(schema.parse_iso_datetime(value), SENT, tolerance)

        self.assertEqual(check("2026-11-30T12:05:00Z"), datetime(2026, 11, 30, 12, 5))
        self.assertEqual(check("2000-01-01T00:00:00Z"), datetime(2000, 1, 1))
        self.assertEqual(check("2026-11-30T12:15:00Z", tolerance=900), datetime(2026, 11, 30, 12, 15))
        cases = {
            "2026-11-30T12:05:01Z": "301 s after the webhook-timestamp (2026-11-30T12:00:00Z); at most 300 s",
            "1999-12-31T23:59:59Z": "before 2000-01-01T00:00:00Z",
            "1999-12-31T23:59:59-00:01": None,  # 2000-01-01T00:00:59Z: accepted
            "9999-12-31T23:00-05:00": "no equivalent in UTC",
            "0001-01-01T00:30+05:00": "no equivalent in UTC",
            "0001-01-01T00:00:00Z": "0001-01-01T00:00:00Z is before",
        }
        for value, expected in cases.items():
            with self.subTest(value):
                if expected is None:
                    check(value)
                    continue
                rejection = self.refusal(check, value)
                self.assertEqual((rejection.status, rejection.code, rejection.keep), (422, "invalid_timestamp", True))
                self.assertEqual(rejection.details[0]["field"], "timestamp")
                self.assertIn(expected, rejection.details[0]["message"])

    def test_whole_body_refusals_are_not_kept_value_refusals_are(self):
        for body in (b"[" * 100000 + b"]" * 100000, b'{"a": "\xed\xa0\x80"}', b'{"a": 1', b"[" * 65 + b"]" * 65):
            with self.subTest(body[:20]):
                rejection = self.refusal(envelope.parse_json, body)
                self.assertEqual((rejection.status, rejection.code, rejection.keep), (400, "malformed_json", False))
        document = envelope.parse_json(b'{"a": [1, NaN], "b": {"c": 1, "c": 2}}')
        rejection = self.refusal(envelope.check_values, document)
        self.assertEqual((rejection.status, rejection.code, rejection.keep), (400, "malformed_json", True))
        self.assertEqual([d["field"] for d in rejection.details], ["a[1]", "b"])

    def test_a_batch_checks_its_top_object_but_not_its_events(self):
        document = envelope.parse_json(b'{"events": [{"id": "e1", "x": NaN}], "note": Infinity}')
        self.assertEqual(strict_json.problems(document, skip="events"),
                         [{"field": "note", "message": "Infinity is not a JSON number"}])
        document = envelope.parse_json(b'{"events": [{"id": "e1", "x": NaN}]}')
        self.assertEqual(envelope.check_batch(document), document["events"])

    def test_refused_values_are_kept_as_sent_and_storable(self):
        body = '{"a":NaN,"b":-1e999,"c":"x\\u0000y","d":"\\ud800","e":{"k":1,"k":2},"f":[1.5,true,null,"\u00e9"]}'
        document = strict_json.loads(body.encode())
        shown = strict_json.dumps(document)
        self.assertEqual(shown, body.replace("\u00e9", "é"))
        shown.encode("utf-8")
        self.assertNotIn("\x00", shown)
        self.assertEqual(strict_json.storable("x\x00y\ud800"), "x\\u0000y\\ud800")
        self.assertEqual(strict_json.storable("clean é"), "clean é")
        clean = {"a": [1, 2.5, "é"], "b": None}
        self.assertEqual(strict_json.dumps(clean), json.dumps(clean, ensure_ascii=False, separators=(",", ":")))

    def test_money_is_bounded_to_what_the_books_hold(self):
        money = fragments.MONEY
        self.assertEqual(schema.validate(fragments.MONEY_LIMIT, money), [])
        self.assertEqual(schema.validate(-fragments.MONEY_LIMIT, money), [])
        self.assertTrue(schema.validate(1e20, money))
        self.assertTrue(schema.validate(-1e12, money))
        self.assertTrue(schema.validate(1e10, fragments.QUANTITY))
