"""Parsing and validation of webhook bodies, before anything is stored.

Single delivery: {"type": "<event type>", "timestamp": "<ISO 8601>", "data": {...}}
Batch delivery:  {"events": [{"id": "...", "type": ..., "timestamp": ..., "data": {...}}, ...]}
"""

from collections import namedtuple
from datetime import datetime, timedelta, timezone

from . import strict_json
from .errors import DeliveryRejected
from .schema import parse_iso_datetime, to_utc, validate

MAX_BATCH_EVENTS = 500

# The earliest event timestamp accepted (UTC). Every system this engine syncs with records
# changes of live projects, and none of those happened before 2000; a date before it is a
# sender's placeholder for a missing one (0001-01-01, 1970-01-01), not the time of a change.
# Refused rather than stored: such an event would only ever be ordered first and found stale.
TIMESTAMP_FLOOR = datetime(2000, 1, 1)
# How far past its webhook-timestamp an event may be dated, by default (the system's
# future_tolerance_seconds): an event from the future would become its object's watermark and
# silence every genuine update until that date.
DEFAULT_FUTURE_TOLERANCE = 300

Envelope = namedtuple("Envelope", "event_type timestamp data")


def parse_json(body):
    """The body as a JSON object, or a 400 for the whole body: not UTF-8, not JSON, nested deeper
    than strict_json.MAX_DEPTH, or not an object. Values parsers disagree on (duplicate keys,
    NaN, 1e999) or that cannot be stored (NUL, lone surrogates) are only marked here: see
    check_values, which refuses them per event."""
    try:
        document = strict_json.loads(body)
    except ValueError as exc:  # UnicodeDecodeError and strict_json.TooDeep included
        raise DeliveryRejected(400, "malformed_json", "The body is not valid JSON: %s" % exc,
                               [{"field": "(root)", "message": str(exc)}], keep=False) from None
    if not isinstance(document, dict):
        problems = strict_json.problems(document)
        if problems:
            raise DeliveryRejected(400, "malformed_json", "The body is not acceptable JSON.", problems)
        raise DeliveryRejected(400, "malformed_envelope", "The body must be a JSON object.")
    return document


def check_values(document, skip=None):
    """400 malformed_json, kept for inspection, when the (authenticated) document holds a value
    JSON parsers read differently or that cannot be stored; details name each one. `skip` is
    the key of the top object that is not looked into."""
    problems = strict_json.problems(document, skip=skip)
    if problems:
        raise DeliveryRejected(
            400, "malformed_json",
            "The body holds values that JSON parsers read differently or that cannot be stored "
            "(duplicate keys, NaN or Infinity, numbers too large, NUL characters, lone surrogates).",
            problems, keep=True,
        )


def check_envelope(document, path=""):
    """Validates the envelope fields; raises 400 with field details when they are malformed."""
    problems = []
    prefix = path + "." if path else ""
    if not isinstance(document.get("type"), str) or not document.get("type"):
        problems.append({"field": prefix + "type", "message": "must be a non-empty string"})
    if parse_iso_datetime(document.get("timestamp")) is None:
        problems.append({"field": prefix + "timestamp",
                         "message": "must be an ISO 8601 date-time with a timezone"})
    if not isinstance(document.get("data"), dict):
        problems.append({"field": prefix + "data", "message": "must be a JSON object"})
    if problems:
        raise DeliveryRejected(400, "malformed_envelope",
                               "The envelope must hold type, timestamp and data.", problems)
    return Envelope(document["type"], parse_iso_datetime(document["timestamp"]), document["data"])


def _iso(moment):
    """A naive UTC datetime as ISO 8601 with Z (strftime would not pad years before 1000)."""
    return moment.isoformat(timespec="seconds") + "Z"


def check_timestamp(moment, webhook_timestamp, tolerance_seconds, field="timestamp"):
    """The event's timestamp (an aware datetime) as the naive UTC datetime stored, or 422
    invalid_timestamp, kept for inspection, when it has no UTC equivalent, lies before
    TIMESTAMP_FLOOR, or lies more than `tolerance_seconds` after the delivery's
    webhook-timestamp (integer seconds, signed, within 300 s of the server's clock)."""
    utc = to_utc(moment)
    sent = datetime.fromtimestamp(webhook_timestamp, timezone.utc).replace(tzinfo=None)
    if utc is None:
        problem = "%s has no equivalent in UTC within years 1 to 9999" % moment.isoformat()
    elif utc < TIMESTAMP_FLOOR:
        problem = "%s is before %s, the earliest date accepted" % (_iso(utc), _iso(TIMESTAMP_FLOOR))
    elif utc > sent + timedelta(seconds=tolerance_seconds):
        problem = "%s is %d s after the webhook-timestamp (%s); at most %d s are accepted" % (
            _iso(utc), (utc - sent).total_seconds(), _iso(sent), tolerance_seconds)
    else:
        return utc
    raise DeliveryRejected(
        422, "invalid_timestamp",
        "The event timestamp must lie between %s and %d s after the webhook-timestamp."
        % (_iso(TIMESTAMP_FLOOR), tolerance_seconds),
        [{"field": field, "message": problem}], keep=True,
    )


def check_payload(envelope, handlers, enabled_types):
    """422 for an event type this system does not accept, or data failing its schema. Runs after
    authentication, so the caller keeps the rejected body for inspection. `handlers` are the
    database's {event_type: handler}."""
    handler = handlers.get(envelope.event_type)
    if handler is None:
        raise DeliveryRejected(
            422, "unknown_event_type",
            "Unknown event type %r. Known types: %s." % (
                envelope.event_type,
                ", ".join(sorted(handlers)) or "none (no addon declaring event types is installed)",
            ),
            keep=True,
        )
    if envelope.event_type not in enabled_types:
        raise DeliveryRejected(
            422, "event_type_disabled",
            "Event type %r is disabled for this system." % envelope.event_type, keep=True,
        )
    problems = validate(envelope.data, handler.schema)
    if problems:
        for problem in problems:
            problem["field"] = "data." + problem["field"] if problem["field"] != "(root)" else "data"
        raise DeliveryRejected(
            422, "invalid_payload",
            "The data of %r does not match its schema." % envelope.event_type, problems, keep=True,
        )
    return handler


def check_batch(document):
    """The events of a batch body, or a refusal of the whole body: no events list, too many, an
    event without a usable id (each outcome is reported under its event's id), or an
    unacceptable value outside the events (400 malformed_json, kept). Values inside an event are
    checked with that event, which alone is refused."""
    check_values(document, skip="events")
    events = document.get("events")
    if not isinstance(events, list) or not events:
        raise DeliveryRejected(400, "malformed_envelope",
                               "A batch body must be {\"events\": [...]} with at least one event.")
    if len(events) > MAX_BATCH_EVENTS:
        raise DeliveryRejected(413, "batch_too_large",
                               "A batch holds at most %d events; this one holds %d."
                               % (MAX_BATCH_EVENTS, len(events)))
    problems = []
    for index, event in enumerate(events):
        if not isinstance(event, dict):
            problems.append({"field": "events[%d]" % index, "message": "must be a JSON object"})
        elif not isinstance(event.get("id"), str) or not event["id"] or len(event["id"]) > 255 \
                or strict_json.problems(event["id"]):
            problems.append({"field": "events[%d].id" % index,
                             "message": "must be a non-empty string of at most 255 characters,"
                                        " without NUL or lone surrogates"})
    if problems:
        raise DeliveryRejected(400, "malformed_envelope",
                               "Every event of a batch needs its own id.", problems)
    return events
