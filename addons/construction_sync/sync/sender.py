"""One HTTP attempt of an outbound message, outside any database transaction.

Sent with the standard library's `http.client` over keep-alive connections kept per endpoint
(host and port), one request per connection at a time. `requests` (Odoo's own dependency) cost
about 0.9 ms of Python per request on a kept-alive session against 0.14 ms here, more than the
signing, the logging and the commit of a delivery together; it is still used when a proxy from
the environment applies to the endpoint (HTTP(S)_PROXY, NO_PROXY), which it knows how to honour.

The timeout covers the connection and each read, as with `requests`; redirects are not followed
(a 3xx is a failed delivery, retried like any other); only an excerpt of the answer is kept for
the delivery log.
"""

import http.client
import socket
import ssl
import threading
import time
import urllib.request
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import requests

EXCERPT_BYTES = 1000
# An answer longer than this is not read to its end: the connection is closed instead of reused.
DRAIN_BYTES = 1 << 20
# Idle connections kept per endpoint (more than the largest max_in_flight a subscription allows).
IDLE_PER_ENDPOINT = 64

# status 0: no HTTP answer (timeout, refused connection, TLS error); error then says which.
Result = namedtuple("Result", "success status latency_ms retry_after excerpt error request_headers")

# A kept-alive connection the endpoint closed meanwhile fails when reused, before any answer.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)

# Sending threads of this process, started once (a pool per claim cost more in thread starts
# than the requests to a fast receiver); a lane waits for a free thread, so an endpoint never has
# more requests open than lanes were dealt for it.
SENDING_THREADS = 32
_pool = None
_pool_lock = threading.Lock()

_idle = {}
_targets = {}
_idle_lock = threading.Lock()
_tls = None


def run_lanes(lanes):
    """Sends each lane's [(key, (url, body, headers, timeout))] in order, the lanes side by side;
    returns one {key: Result} per lane."""
    return start_lanes(lanes)()


def start_lanes(lanes):
    """run_lanes in the background: returns a function that waits for the lanes and returns
    their results, so the caller can write to its database meanwhile."""
    global _pool  # noqa: PLW0603 (one pool per process, started on first use: after the fork)
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=SENDING_THREADS, thread_name_prefix="csync-send")
    futures = [_pool.submit(_lane, lane) for lane in lanes]
    return lambda: [future.result() for future in futures]


def _lane(lane):
    return {key: send(*request) for key, request in lane}


def send(url, body, headers, timeout):
    started = time.monotonic()
    try:
        target = _target(url)
    except ValueError as exc:
        return Result(False, 0, 0, None, None, "invalid endpoint URL: %s" % exc, headers)
    if target is None:
        return _send_requests(url, body, headers, timeout, started)
    key, path = target
    connection, reused = _take(key, timeout)
    try:
        try:
            response = _exchange(connection, path, body, headers)
        except _STALE:
            if not reused:
                raise
            # The endpoint had closed the idle connection: the request never reached it; once
            # more on a new one (a receiver that did get it dedupes on webhook-id anyway).
            connection.close()
            connection, reused = _new(key, timeout), False
            response = _exchange(connection, path, body, headers)
        status, excerpt, retry_after, keep = response
    except (TimeoutError, socket.timeout):
        connection.close()
        return Result(False, 0, _ms(started), None, None, "no answer within %s s" % timeout, headers)
    except (OSError, http.client.HTTPException) as exc:
        connection.close()
        return Result(False, 0, _ms(started), None, None, "%s: %s" % (type(exc).__name__, exc), headers)
    if keep:
        _give_back(key, connection)
    else:
        connection.close()
    success = 200 <= status < 300
    return Result(success, status, _ms(started), retry_after, excerpt, None if success else "HTTP %s" % status,
                  headers)


def _target(url):
    """((scheme, host, port), path with query) of a URL this module sends to itself, or None when
    a proxy applies to it (requests sends those). Cached: reading the proxy settings from the
    environment costs more than the rest."""
    target = _targets.get(url)
    if target is None:
        if len(_targets) > 10000:
            _targets.clear()
        target = _targets[url] = (_parse(url),)
    return target[0]


def _parse(url):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(url)
    if parts.scheme in urllib.request.getproxies() and not urllib.request.proxy_bypass(parts.hostname):
        return None
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + ("?" + parts.query if parts.query else "")
    return (parts.scheme, parts.hostname, port), path


def _take(key, timeout):
    with _idle_lock:
        pool = _idle.get(key)
        connection = pool.pop() if pool else None
    if connection is None:
        return _new(key, timeout), False
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)
    return connection, True


def _new(key, timeout):
    scheme, host, port = key
    if scheme == "https":
        global _tls  # noqa: PLW0603 (one verifying context for the process: loading the CAs is slow)
        if _tls is None:
            _tls = ssl.create_default_context()
        return http.client.HTTPSConnection(host, port, timeout=timeout, context=_tls)
    return http.client.HTTPConnection(host, port, timeout=timeout)


def _give_back(key, connection):
    with _idle_lock:
        pool = _idle.setdefault(key, [])
        if len(pool) < IDLE_PER_ENDPOINT:
            pool.append(connection)
            return
    connection.close()


def _exchange(connection, path, body, headers):
    """(status, excerpt, Retry-After, connection reusable) of one request."""
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    head = response.read(EXCERPT_BYTES)
    rest = 0
    while not response.isclosed() and rest <= DRAIN_BYTES:
        chunk = response.read(65536)
        if not chunk:
            break
        rest += len(chunk)
    keep = response.isclosed() and not response.will_close
    return response.status, head.decode("utf-8", "replace"), response.getheader("Retry-After"), keep


def _send_requests(url, body, headers, timeout, started):
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return Result(False, 0, _ms(started), None, None, "no answer within %s s" % timeout, headers)
    except requests.RequestException as exc:
        return Result(False, 0, _ms(started), None, None, "%s: %s" % (type(exc).__name__, exc), headers)
    excerpt = response.content[:EXCERPT_BYTES].decode("utf-8", "replace")
    success = 200 <= response.status_code < 300
    return Result(success, response.status_code, _ms(started), response.headers.get("Retry-After"), excerpt,
                  None if success else "HTTP %s" % response.status_code, headers)


def _ms(started):
    return int((time.monotonic() - started) * 1000)
