"""One HTTP attempt of an outbound message, outside any database transaction.

Uses `requests` (one of Odoo's own dependencies) with a timeout covering the connection and each
read, through keep-alive sessions taken from a small pool, one per request at a time (a new TCP
connection per message cost more than the rest of the delivery); the answer's body is kept only
as an excerpt for the log.
"""

import threading
import time
from collections import namedtuple

import requests

EXCERPT_BYTES = 1000

# status 0: no HTTP answer (timeout, refused connection, TLS error); error then says which.
Result = namedtuple("Result", "success status latency_ms retry_after excerpt error request_headers")

_idle = []
_idle_lock = threading.Lock()


def send(url, body, headers, timeout):
    with _idle_lock:
        session = _idle.pop() if _idle else requests.Session()
    try:
        return _send(session, url, body, headers, timeout)
    finally:
        with _idle_lock:
            _idle.append(session)


def _send(session, url, body, headers, timeout):
    started = time.monotonic()
    try:
        response = session.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return Result(False, 0, _ms(started), None, None, "no answer within %s s" % timeout, headers)
    except requests.RequestException as exc:
        return Result(False, 0, _ms(started), None, None, "%s: %s" % (type(exc).__name__, exc), headers)
    excerpt = response.content[:EXCERPT_BYTES].decode("utf-8", "replace")
    success = 200 <= response.status_code < 300
    error = None if success else "HTTP %s" % response.status_code
    return Result(success, response.status_code, _ms(started), response.headers.get("Retry-After"), excerpt,
                  error, headers)


def _ms(started):
    return int((time.monotonic() - started) * 1000)
