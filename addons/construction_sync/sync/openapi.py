"""The machine-readable contract of the webhook endpoints (OpenAPI 3.1), built from the handler
registry so that the published payload schemas are exactly the ones the intake enforces."""

from .envelope import DEFAULT_FUTURE_TOLERANCE, MAX_BATCH_EVENTS, TIMESTAMP_FLOOR
from .reconcile import OPENAPI_DESCRIPTION as RECONCILIATION_DESCRIPTION, SEQUENCE_SCHEMA
from .strict_json import MAX_DEPTH

FLOOR = TIMESTAMP_FLOOR.isoformat() + "Z"

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "description": "Machine-readable reason."},
                "message": {"type": "string", "description": "What went wrong, for a person."},
                "details": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                    },
                },
            },
        }
    },
}

ERROR_CODES = {
    "400": ("Malformed JSON or envelope. malformed_json: the body is not UTF-8 JSON or nests deeper than %d "
            "levels (the whole body is refused, a batch too), or it holds values JSON parsers read differently "
            "or that cannot be stored: a key repeated in one object, NaN or Infinity, a number too large "
            "(1e999), a NUL character or a lone surrogate (\\ud800) in a string; details name each one, and "
            "in a batch only the event holding it is refused. malformed_envelope: type, timestamp or data "
            "missing or of the wrong kind, or a batch event without its id." % MAX_DEPTH,
            ["malformed_json", "malformed_envelope"]),
    "401": ("Missing or invalid signature, or timestamp outside ±300 s. Missing or malformed signature "
            "headers are answered 401 before the system code is looked up, whatever the code.",
            ["invalid_signature"]),
    "404": ("Unknown or inactive system code (answered to requests whose signature headers are well formed; "
            "the signature itself is checked after).", ["unknown_system"]),
    "405": ("Only POST delivers events.", ["method_not_allowed"]),
    "409": ("Same webhook-id, different body: kept for inspection, nothing applied.", ["conflicting_duplicate"]),
    "413": ("Body larger than the server-wide limit (checked before authentication, on Content-Length "
            "first), larger than the system's own limit (checked once the signature verified), or a batch of "
            "more than %d events." % MAX_BATCH_EVENTS,
            ["body_too_large", "batch_too_large"]),
    "415": ("Body is not application/json.", ["unsupported_media_type"]),
    "422": ("Unknown or disabled event type; data failing the type's schema, amounts beyond its bounds "
            "included (invalid_payload); an event timestamp before %s, with no UTC equivalent, or later "
            "than the system's future tolerance (%d s unless configured) after the webhook-timestamp "
            "(invalid_timestamp). See details." % (FLOOR, DEFAULT_FUTURE_TOLERANCE),
            ["unknown_event_type", "event_type_disabled", "invalid_payload", "invalid_timestamp"]),
    "429": ("Rate limited: retry after the Retry-After header's seconds. rate_limited: the system's "
            "authenticated deliveries per minute. unauthenticated_rate_limited: too many requests from this "
            "address were refused before authentication (401, 404, 405, 413, 415); answered before any other "
            "check, to signed deliveries from that address too, unless it sent an authenticated one in the "
            "last minutes.", ["rate_limited", "unauthenticated_rate_limited"]),
    "503": ("The database is unreachable, or this system's signing secret cannot be read with the server's "
            "key: nothing was stored; retry after the Retry-After header's seconds.", ["service_unavailable"]),
}

SIGNATURE_HEADERS = [
    {"name": "webhook-id", "in": "header", "required": True, "schema": {"type": "string", "maxLength": 255},
     "description": "Idempotency key of the delivery: resending the same id with the same body is answered 200 "
                    "and creates nothing."},
    {"name": "webhook-timestamp", "in": "header", "required": True, "schema": {"type": "integer"},
     "description": "Seconds since the epoch; must be within 300 s of the server's clock."},
    {"name": "webhook-signature", "in": "header", "required": True, "schema": {"type": "string"},
     "description": "Space-separated `v1,<base64 HMAC-SHA256 of \"{id}.{timestamp}.{body}\">`, key = base64-decoded "
                    "part of the secret after `whsec_`."},
]


def _event_schema(event_type, handler):
    return {
        "title": event_type,
        "description": handler.summary,
        "type": "object",
        "required": ["type", "timestamp", "data"],
        "properties": {
            "type": {"const": event_type},
            "timestamp": {"type": "string", "format": "date-time",
                          "description": "When the change happened in the sending system (orders events about one "
                                         "object). Not before %s, and at most the system's future tolerance (%d s "
                                         "unless configured) after the webhook-timestamp: else 422 invalid_timestamp."
                                         % (FLOOR, DEFAULT_FUTURE_TOLERANCE)},
            "data": handler.schema,
            "sequence": SEQUENCE_SCHEMA,
        },
        "examples": [{"type": event_type, "timestamp": "2026-11-23T08:15:00Z", "data": handler.example}],
        "x-object-model": handler.object_model,
        "x-default-processing": handler.default_mode,
    }


RETRY_AFTER = {"description": "Seconds to wait before sending again.", "schema": {"type": "integer", "minimum": 1}}


def _responses(success):
    responses = dict(success)
    for status, (description, codes) in ERROR_CODES.items():
        responses[status] = {
            "description": "%s Codes: %s." % (description, ", ".join(codes)),
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        if status in ("429", "503"):
            responses[status]["headers"] = {"Retry-After": RETRY_AFTER}
    return responses


def _outbound_webhook(event_type, publisher):
    """An outbound event type as an OpenAPI 3.1 webhook: what Odoo POSTs to a subscription."""
    body = {
        "title": event_type,
        "description": publisher.description,
        "type": "object",
        "required": ["type", "timestamp", "schema_version", "data"],
        "properties": {
            "type": {"const": event_type},
            "timestamp": {"type": "string", "format": "date-time", "description": "When Odoo published it (UTC)."},
            "schema_version": {"const": publisher.schema_version},
            "data": publisher.schema,
        },
        "x-odoo-model": publisher.model,
    }
    if publisher.example is not None:
        body["examples"] = [{"type": event_type, "timestamp": "2026-11-23T08:15:00Z",
                             "schema_version": publisher.schema_version, "data": publisher.example}]
    return {"post": {
        "summary": publisher.description,
        "description": "Signed like the inbound deliveries (Standard Webhooks v1, the subscription's own secret; "
                       "during a rotation's grace webhook-signature holds one entry per secret). webhook-id is the "
                       "message's id, the same on every retry and replay: dedupe on it. A 2xx answer within the "
                       "subscription's timeout is success; 429/503 with Retry-After are retried after that many "
                       "seconds; 410 disables the subscription; anything else is retried (immediately, 5 s, "
                       "5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with jitter).",
        "parameters": SIGNATURE_HEADERS,
        "requestBody": {"required": True, "content": {"application/json": {"schema": body}}},
        "responses": {"2XX": {"description": "Received."},
                      "410": {"description": "Gone: Odoo disables the subscription."},
                      "429": {"description": "Retried after Retry-After.", "headers": {"Retry-After": RETRY_AFTER}}},
    }}


def document(base_url, handlers, publishers=None):
    event_types = sorted(handlers)
    schemas = {"Error": ERROR}
    for event_type in event_types:
        schemas[event_type] = _event_schema(event_type, handlers[event_type])
    any_event = {"oneOf": [{"$ref": "#/components/schemas/%s" % t} for t in event_types]}
    batch_event = {"allOf": [any_event, {"type": "object", "required": ["id"],
                                         "properties": {"id": {"type": "string", "maxLength": 255}}}]}
    code_param = {"name": "code", "in": "path", "required": True, "schema": {"type": "string"},
                  "description": "The external system's code."}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "construction_sync webhooks",
            "version": "1",
            "description": "Standard Webhooks v1 deliveries of construction events into Odoo. "
                           "Deliveries are verified, validated and stored, then applied asynchronously. "
                           + RECONCILIATION_DESCRIPTION,
        },
        "servers": [{"url": base_url}],
        "paths": {
            "/construction_sync/webhook/{code}": {
                "post": {
                    "summary": "Deliver one event",
                    "parameters": [code_param] + SIGNATURE_HEADERS,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": any_event}}},
                    "responses": _responses({
                        "202": {"description": "Accepted: stored, will be applied."},
                        "200": {"description": "Duplicate: this id and body were already received; nothing created."},
                    }),
                }
            },
            "/construction_sync/webhook/{code}/batch": {
                "post": {
                    "summary": "Deliver up to %d events in one signed delivery" % MAX_BATCH_EVENTS,
                    "description": "Each event's id is its idempotency key. The reply lists each event's outcome "
                                   "(accepted 202, duplicate 200, rejected with its own status and error).",
                    "parameters": [code_param] + SIGNATURE_HEADERS,
                    "requestBody": {"required": True, "content": {"application/json": {"schema": {
                        "type": "object", "required": ["events"],
                        "properties": {"events": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH_EVENTS,
                                                  "items": batch_event}},
                    }}}},
                    "responses": _responses({
                        "202": {"description": "At least one event accepted; see events[] for each outcome."},
                        "200": {"description": "No new event (all duplicates or rejected); see events[]."},
                    }),
                }
            },
        },
        "webhooks": {event_type: _outbound_webhook(event_type, publisher)
                     for event_type, publisher in sorted((publishers or {}).items())},
        "components": {"schemas": schemas},
        "x-event-types": event_types,
    }
