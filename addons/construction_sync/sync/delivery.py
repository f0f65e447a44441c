"""The HTTP side of a webhook delivery: the checks the endpoint answers before anything is
authenticated (method, size, media type, the Standard Webhooks headers) and the parsed request
they hand to the intake.

What an unauthenticated request learns (see readme/CONFIGURE.md, "Before authentication"):

- The checks that need no database come first: 405, 413 (declared size over the server-wide
  limit), 415, 401 (webhook-id, webhook-timestamp and webhook-signature missing or malformed).
  An unsigned request is answered the same whatever the system code, and costs no query.
- Then the system lookup: 404 for a code no active system has. The published contract keeps
  that answer (senders rely on it to tell a wrong URL from a wrong secret) and a system code is
  not a secret: it is in the URL the system's team was given. So a request with well-formed
  signature headers does learn whether a code exists, nothing more.
- The size limit before authentication is one server-wide maximum (system parameter
  construction_sync.unauthenticated_max_body_bytes, default 10 MiB); the system's own
  max_body_bytes is applied only after the signature verified, so it is not revealed to a
  request that cannot sign.

The controller also counts every refusal made before authentication per source address
(sync.flood) and answers 429 to an address over its budget before any of this runs.
"""

import time
import uuid
from dataclasses import dataclass

from . import signature
from .errors import DeliveryRejected

JSON_MIMETYPES = ("application/json",)
CORRELATION_HEADERS = ("webhook-correlation-id", "x-correlation-id", "x-request-id")


@dataclass(frozen=True)
class Delivery:
    """A webhook request that passed the HTTP checks; its signature is not verified yet."""

    code: str
    batch: bool
    webhook_id: str
    # webhook-timestamp, integer seconds inside the tolerance window
    timestamp: int
    signature: str
    correlation_id: str
    body: bytes


# 10 MiB: a batch of 500 events of ~20 KB. A system's own max_body_bytes above it is capped by it.
DEFAULT_UNAUTHENTICATED_MAX_BODY_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Reply:
    """The answer to a webhook request, and whether its signature was verified."""

    status: int
    body: dict
    headers: dict
    authenticated: bool


def receive(intake, code, batch, method, headers, content_type, content_length, read_body):
    """Answers one webhook request: returns (status, body dict, extra headers). See answer()."""
    reply = answer(intake, code, batch, method, headers, content_type, content_length, read_body)
    return reply.status, reply.body, reply.headers


def answer(intake, code, batch, method, headers, content_type, content_length, read_body):
    """Answers one webhook request with a Reply.

    `intake` is construction.sync.intake. `headers` have lower-case names. `read_body(limit)`
    returns the body (at least limit + 1 bytes of it when it is longer); it is called only after
    the declared Content-Length passed the size check and the system is known. Deliveries refused
    with 409/422, or with 400 malformed_json for values inside a body that parsed, are stored in
    the rejected-deliveries log by the intake; unauthenticated ones store nothing.
    """
    try:
        if method != "POST":
            raise DeliveryRejected(405, "method_not_allowed", "Webhooks are delivered with POST.",
                                   headers={"Allow": "POST"})
        max_bytes = intake._unauthenticated_max_body_bytes()
        webhook_id, timestamp, correlation_id = check_request(headers, content_type, content_length, max_bytes)
        senders = intake._senders(code)
        body = read_body(max_bytes)
        if len(body) > max_bytes:
            raise DeliveryRejected(413, "body_too_large", "The body exceeds %d bytes." % max_bytes)
        delivery = Delivery(code, batch, webhook_id, timestamp, headers["webhook-signature"], correlation_id, body)
        status, reply, extra = intake._receive(senders, delivery)
        return Reply(status, reply, extra, True)
    except DeliveryRejected as rejection:
        return Reply(rejection.status, rejection.as_json(), rejection.headers, rejection.authenticated)


def check_request(headers, content_type, content_length, max_bytes):
    """The size, media type and header checks that need neither the database nor the body;
    returns (webhook id, timestamp, correlation id) or raises DeliveryRejected."""
    if content_length is not None and content_length > max_bytes:
        raise DeliveryRejected(413, "body_too_large", "The body exceeds %d bytes." % max_bytes)
    mimetype = (content_type or "").split(";")[0].strip().lower()
    if mimetype not in JSON_MIMETYPES and not mimetype.endswith("+json"):
        raise DeliveryRejected(415, "unsupported_media_type", "Deliveries must be application/json.")
    webhook_id = headers.get("webhook-id")
    if not webhook_id or len(webhook_id) > 255:
        raise DeliveryRejected(401, "invalid_signature", "webhook-id header is missing or longer than 255 characters.")
    try:
        timestamp = signature.parse_timestamp(headers.get("webhook-timestamp"), time.time())
    except signature.SignatureError as exc:
        raise DeliveryRejected(401, "invalid_signature", str(exc)) from None
    if not headers.get("webhook-signature"):
        # signature.verify's own message, so the reply does not depend on where it is checked.
        raise DeliveryRejected(401, "invalid_signature", "webhook-signature header is missing")
    correlation_id = next((headers[name] for name in CORRELATION_HEADERS if headers.get(name)), None) \
        or str(uuid.uuid4())
    return webhook_id, timestamp, correlation_id
