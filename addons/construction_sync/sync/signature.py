"""Standard Webhooks v1 signatures (https://www.standardwebhooks.com/).

The signed content is "{webhook-id}.{webhook-timestamp}.{body}", signed with HMAC-SHA256 under the
key that follows "whsec_" (base64). The webhook-signature header lists one or more space separated
"v1,<base64 signature>" entries; any of them may match.
"""

import base64
import binascii
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
TOLERANCE_SECONDS = 300


class SignatureError(Exception):
    pass


def generate_secret(num_bytes=32):
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(num_bytes)).decode()


def secret_key(secret):
    if not secret or not secret.startswith(SECRET_PREFIX):
        raise ValueError("a signing secret starts with whsec_")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX):], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("the part after whsec_ is not base64") from exc
    if not 24 <= len(key) <= 64:
        raise ValueError("a signing secret holds 24 to 64 bytes")
    return key


def sign(secret, webhook_id, timestamp, body):
    """The v1 signature entry for a delivery; `body` is bytes."""
    content = b"%s.%s.%s" % (webhook_id.encode(), str(timestamp).encode(), body)
    digest = hmac.new(secret_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def parse_timestamp(value, now):
    """The webhook-timestamp header as integer seconds, refused outside the tolerance window."""
    try:
        timestamp = int(value)
    except (TypeError, ValueError):
        raise SignatureError("webhook-timestamp must be integer seconds since the epoch") from None
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        raise SignatureError(
            "webhook-timestamp is more than %d seconds away from the server's clock"
            % TOLERANCE_SECONDS
        )
    return timestamp


def verify(secrets_to_try, webhook_id, timestamp, body, signature_header):
    """Returns the secret that signed the delivery or raises SignatureError. Every candidate
    signature is compared in constant time against every acceptable secret."""
    if not signature_header:
        raise SignatureError("webhook-signature header is missing")
    candidates = []
    for entry in signature_header.split():
        version, _, value = entry.partition(",")
        if version == "v1" and value:
            candidates.append(value.encode())
    if not candidates:
        raise SignatureError("webhook-signature holds no v1 signature")
    for secret in secrets_to_try:
        expected = sign(secret, webhook_id, timestamp, body).partition(",")[2].encode()
        matched = False
        for candidate in candidates:
            # No early exit: the time taken must not say which entry or secret came close.
            matched |= hmac.compare_digest(expected, candidate)
        if matched:
            return secret
    raise SignatureError("no signature in webhook-signature matches this system's secret")
