"""Parsing and validation of webhook bodies, before anything is stored.

Single delivery: {"type": "<event type>", "timestamp": "<ISO 8601>", "data": {...}}
Batch delivery:  {"events": [{"id": "...", "type": ..., "timestamp": ..., "data": {...}}, ...]}
"""

import json
from collections import namedtuple

from .errors import DeliveryRejected
from .schema import parse_datetime, validate

MAX_BATCH_EVENTS = 500

Envelope = namedtuple("Envelope", "event_type timestamp data")


def parse_json(body):
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise DeliveryRejected(400, "malformed_json", "The body is not valid JSON: %s" % exc,
                               keep=False) from None
    if not isinstance(document, dict):
        raise DeliveryRejected(400, "malformed_envelope", "The body must be a JSON object.")
    return document


def check_envelope(document, path=""):
    """Validates the envelope fields; raises 400 with field details when they are malformed."""
    problems = []
    prefix = path + "." if path else ""
    if not isinstance(document.get("type"), str) or not document.get("type"):
        problems.append({"field": prefix + "type", "message": "must be a non-empty string"})
    if parse_datetime(document.get("timestamp")) is None:
        problems.append({"field": prefix + "timestamp",
                         "message": "must be an ISO 8601 date-time with a timezone"})
    if not isinstance(document.get("data"), dict):
        problems.append({"field": prefix + "data", "message": "must be a JSON object"})
    if problems:
        raise DeliveryRejected(400, "malformed_envelope",
                               "The envelope must hold type, timestamp and data.", problems)
    return Envelope(document["type"], parse_datetime(document["timestamp"]), document["data"])


def check_payload(envelope, handlers, enabled_types):
    """422 for an event type this system does not accept, or data failing its schema. Runs after
    authentication, so the caller keeps the rejected body for inspection. `handlers` are the
    database's {event_type: handler}."""
    handler = handlers.get(envelope.event_type)
    if handler is None:
        raise DeliveryRejected(
            422, "unknown_event_type",
            "Unknown event type %r. Known types: %s."
            % (envelope.event_type, ", ".join(sorted(handlers)) or "none (no addon declaring event types is installed)"),
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
        elif not isinstance(event.get("id"), str) or not event["id"] or len(event["id"]) > 255:
            problems.append({"field": "events[%d].id" % index,
                             "message": "must be a non-empty string of at most 255 characters"})
    if problems:
        raise DeliveryRejected(400, "malformed_envelope",
                               "Every event of a batch needs its own id.", problems)
    return events
