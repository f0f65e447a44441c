"""The HTTP side of a webhook delivery: the checks the endpoint answers before anything is
authenticated (method, size, media type, the Standard Webhooks headers) and the parsed request
they hand to the intake.

The checks run in the order the endpoint has always answered them. Only the system lookup in the
middle (404, and the size limit, which is a setting of the system) needs the database: it is
asked of the intake, which also authenticates, validates and stores what passed the checks.
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


def receive(intake, code, batch, method, headers, content_type, content_length, read_body):
    """Answers one webhook request: returns (status, body dict, extra headers).

    `intake` is construction.sync.intake. `headers` have lower-case names. `read_body(limit)`
    returns the body (at least limit + 1 bytes of it when it is longer); it is called only after
    the declared Content-Length passed the size check. Deliveries refused with 409/422, or with
    400 malformed_json for values inside a body that parsed, are stored in the rejected-deliveries
    log by the intake; unauthenticated ones store nothing.
    """
    try:
        if method != "POST":
            raise DeliveryRejected(405, "method_not_allowed", "Webhooks are delivered with POST.",
                                   headers={"Allow": "POST"})
        senders = intake._senders(code)
        delivery = read(code, batch, headers, content_type, content_length, read_body, senders.max_body_bytes)
        return intake._receive(senders, delivery)
    except DeliveryRejected as rejection:
        return rejection.status, rejection.as_json(), rejection.headers


def read(code, batch, headers, content_type, content_length, read_body, max_bytes):
    """The size, media type and header checks of a request to a known system; returns the
    Delivery or raises DeliveryRejected."""
    if content_length is not None and content_length > max_bytes:
        raise DeliveryRejected(413, "body_too_large", "The body exceeds %d bytes." % max_bytes)
    mimetype = (content_type or "").split(";")[0].strip().lower()
    if mimetype not in JSON_MIMETYPES and not mimetype.endswith("+json"):
        raise DeliveryRejected(415, "unsupported_media_type", "Deliveries must be application/json.")
    body = read_body(max_bytes)
    if len(body) > max_bytes:
        raise DeliveryRejected(413, "body_too_large", "The body exceeds %d bytes." % max_bytes)
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
    return Delivery(code, batch, webhook_id, timestamp, headers["webhook-signature"], correlation_id, body)
