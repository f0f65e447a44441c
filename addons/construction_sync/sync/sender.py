"""One HTTP attempt of an outbound message, outside any database transaction.

Every request of a process goes through one event loop in one background thread (asyncio, its
transports and TLS), over keep-alive connections kept per endpoint (scheme, host and port), one
request per connection at a time. A thread per connection, as this module had with
`http.client`, cost 0.15 ms of Python a request at sixteen connections, most of it the threads
taking the interpreter lock from each other (and from the runner, which records the previous
batch meanwhile); one loop serving every connection costs less than half of that. `requests`
(Odoo's own dependency) is still used, on the loop's worker threads, when a proxy from the
environment applies to the endpoint (HTTP(S)_PROXY, NO_PROXY), which it knows how to honour.

The timeout covers the whole attempt: connecting, sending and the answer up to its last byte
(or up to what is read of a long one), so an endpoint that trickles its answer is cut at the
same time as one that says nothing. Redirects are not followed (a 3xx is a failed delivery,
retried like any other); only an excerpt of the answer is kept for the delivery log.
"""

import asyncio
import logging
import os
import re
import ssl
import threading
import time
import urllib.request
from collections import namedtuple
from urllib.parse import urlsplit

import requests

_logger = logging.getLogger(__name__)

EXCERPT_BYTES = 1000
# An answer longer than this is not read to its end: the connection is closed instead of reused.
DRAIN_BYTES = 1 << 20
# Idle connections kept per endpoint (more than the largest max_in_flight a subscription allows).
IDLE_PER_ENDPOINT = 64
# An answer's status line and headers longer than this are refused (a misbehaving endpoint).
HEAD_BYTES = 65536
# What a request header's name or value must not hold (a header injected into the request).
_BAD_NAME = re.compile(r"[\r\n\0: ]")
_BAD_VALUE = re.compile(r"[\r\n\0]")
_SET_HERE = frozenset(("host", "content-length", "accept-encoding"))


def _text(data):
    """An answer's bytes as the delivery log keeps them: UTF-8 where it decodes, and no NUL
    character (PostgreSQL's text refuses it: an endpoint answering one would fail the log)."""
    return bytes(data).decode("utf-8", "replace").replace("\x00", "\ufffd")


# status 0: no HTTP answer (timeout, refused connection, TLS error); error then says which.
Result = namedtuple("Result", "success status latency_ms retry_after excerpt error request_headers")

# Set per process on first use (after Odoo's prefork): the loop, its thread and the owning pid.
_Runtime = namedtuple("_Runtime", "loop thread pid")
_runtime = _Runtime(None, None, None)
_runtime_lock = threading.Lock()
# Touched only from the loop's thread.
_idle = {}
_targets = {}
_tls = None


class BadAnswer(Exception):
    """The endpoint answered something that is not HTTP/1.x."""


class _Stale(Exception):
    """A kept-alive connection the endpoint had closed: the request never reached it."""


def run_lanes(lanes):
    """Sends each lane's [(key, (url, body, headers, timeout))] in order, the lanes side by side;
    returns one {key: Result} per lane."""
    return start_lanes(lanes)()


def start_lanes(lanes):
    """run_lanes in the background: returns a function that waits for the lanes and returns
    their results, so the caller can write to its database meanwhile."""
    future = asyncio.run_coroutine_threadsafe(_run(lanes), _loop())
    return future.result


def send(url, body, headers, timeout):
    """One attempt, waited for."""
    return run_lanes([[(0, (url, body, headers, timeout))]])[0][0]


def _loop():
    global _runtime  # noqa: PLW0603 (one loop per process, started on first use)
    with _runtime_lock:
        if _runtime.pid != os.getpid() or not _runtime.thread.is_alive():
            # A forked worker inherits the parent's variables but not its threads: a new loop.
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="csync-send", daemon=True)
            thread.start()
            _idle.clear()
            _runtime = _Runtime(loop, thread, os.getpid())
        return _runtime.loop


async def _run(lanes):
    return await asyncio.gather(*(_lane(lane) for lane in lanes))


async def _lane(lane):
    results = {}
    for key, request in lane:
        results[key] = await _send(*request)
    return results


async def _send(url, body, headers, timeout):
    started = time.monotonic()
    try:
        target = _target(url)
    except ValueError as exc:
        return Result(False, 0, 0, None, None, "invalid endpoint URL: %s" % exc, headers)
    if target is None:
        return await asyncio.get_running_loop().run_in_executor(
            None, _send_requests, url, body, headers, timeout, started)
    key, path = target
    try:
        request = _encode(key, path, body, headers)
    except (ValueError, UnicodeEncodeError) as exc:
        return Result(False, 0, 0, None, None, "invalid request header: %s" % exc, headers)
    deadline = started + timeout
    connection = _take(key)
    try:
        try:
            if connection is None:
                connection = await _connect(key, deadline)
            status, excerpt, retry_after = await connection.exchange(request, deadline)
        except _Stale:
            # The endpoint had closed the idle connection: once more on a new one (a receiver
            # that did get it dedupes on webhook-id anyway).
            connection = await _connect(key, deadline)
            status, excerpt, retry_after = await connection.exchange(request, deadline)
    except TimeoutError:
        _close(connection)
        return Result(False, 0, _ms(started), None, None, "no answer within %s s" % timeout, headers)
    except (OSError, BadAnswer, _Stale) as exc:
        _close(connection)
        return Result(False, 0, _ms(started), None, None, "%s: %s" % (type(exc).__name__, exc), headers)
    except Exception as exc:  # noqa: BLE001 (one lane's surprise must not lose the batch's results)
        _logger.exception("outbound request to %s failed unexpectedly", url)
        _close(connection)
        return Result(False, 0, _ms(started), None, None, "%s: %s" % (type(exc).__name__, exc), headers)
    if connection.keep:
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


def _encode(key, path, body, headers):
    """The request's bytes: a POST with Host and Content-Length set here, whatever `headers` say."""
    scheme, host, port = key
    name = "[%s]" % host if ":" in host else host
    lines = ["POST %s HTTP/1.1" % path,
             "Host: %s" % (name if port == (443 if scheme == "https" else 80) else "%s:%d" % (name, port)),
             "Content-Length: %d" % len(body),
             "Accept-Encoding: identity"]
    for field, value in headers.items():
        value = str(value)
        if _BAD_NAME.search(field) or _BAD_VALUE.search(value):
            raise ValueError(repr(field))
        if field.lower() not in _SET_HERE:
            lines.append("%s: %s" % (field, value))
    lines.append("\r\n")
    return "\r\n".join(lines).encode("latin-1") + body


def _take(key):
    pool = _idle.get(key)
    while pool:
        connection = pool.pop()
        if not connection.closed:
            return connection
    return None


def _give_back(key, connection):
    pool = _idle.setdefault(key, [])
    if len(pool) < IDLE_PER_ENDPOINT:
        pool.append(connection)
    else:
        connection.close()


def _close(connection):
    if connection is not None:
        connection.close()


async def _connect(key, deadline):
    scheme, host, port = key
    global _tls  # noqa: PLW0603 (one verifying context for the process: loading the CAs is slow)
    context = None
    if scheme == "https":
        if _tls is None:
            _tls = ssl.create_default_context()
        context = _tls
    loop = asyncio.get_running_loop()
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError
    _transport, connection = await asyncio.wait_for(
        loop.create_connection(_Connection, host, port, ssl=context, server_hostname=host if context else None),
        remaining)
    return connection


class _Connection(asyncio.Protocol):
    """One kept-alive connection to an endpoint, reading one answer at a time."""

    def __init__(self):
        self.transport = None
        self.closed = False
        self.keep = False
        self._waiter = None
        # Answers read on this connection so far: a reused one may have been closed while idle.
        self._answers = 0

    # asyncio.Protocol ---------------------------------------------------------------------------

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        if self._waiter is None or self._waiter.done():
            # Bytes nobody asked for (or after the answer): the connection is not safe to reuse.
            self.close()
            return
        self._buffer += data
        self._received = True
        try:
            self._read()
        except BadAnswer as exc:
            self._fail(exc)

    def eof_received(self):
        # Not given out again once the endpoint has hung up; connection_lost follows (False:
        # asyncio closes our side too).
        self.closed = True
        return False

    def connection_lost(self, exc):
        self.closed = True
        if self._waiter is None or self._waiter.done():
            return
        if self._length == -1 and self._status:
            self.keep = False
            self._finish()
        elif not self._received and self._answers:
            self._fail(_Stale("the endpoint had closed the kept-alive connection"))
        else:
            self._fail(exc or ConnectionResetError("the endpoint closed the connection before its answer ended"))

    # one exchange -------------------------------------------------------------------------------

    async def exchange(self, request, deadline):
        """(status, excerpt, Retry-After) of one request; raises TimeoutError past `deadline`
        (time.monotonic), _Stale when a reused connection turns out closed, OSError or
        BadAnswer otherwise."""
        if self.closed:
            if self._answers:
                raise _Stale("the endpoint had closed the kept-alive connection")
            raise ConnectionResetError("the endpoint closed the connection at once")
        loop = asyncio.get_running_loop()
        self._waiter = loop.create_future()
        self._buffer, self._received = bytearray(), False
        self._status, self._retry_after, self._length = 0, None, None
        self._excerpt, self._body_seen, self._chunk_state, self._chunk_left = bytearray(), 0, "size", 0
        timer = loop.call_at(deadline, self._expire)
        try:
            self.transport.write(request)
            answer = await self._waiter
        finally:
            timer.cancel()
        self._answers += 1
        return answer

    def close(self):
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def _expire(self):
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_exception(TimeoutError())
        self.close()

    def _fail(self, exc):
        if not self._waiter.done():
            self._waiter.set_exception(exc)
        self.close()

    def _finish(self):
        if not self._waiter.done():
            self._waiter.set_result((self._status, _text(self._excerpt), self._retry_after))

    # parsing ------------------------------------------------------------------------------------

    def _read(self):
        while not self._status:
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self._buffer) > HEAD_BYTES:
                    raise BadAnswer("the answer's headers exceed %d bytes" % HEAD_BYTES)
                return
            head = bytes(self._buffer[:end]).decode("latin-1")
            del self._buffer[:end + 4]
            self._head(head)
        if self._length == "chunked":
            self._read_chunks()
        else:
            self._body(self._buffer)
            self._buffer = bytearray()
            if self._length != -1 and self._body_seen >= self._length:
                if self._body_seen > self._length:
                    self.keep = False  # more than announced: the connection is not trusted again
                self._finish()

    def _head(self, head):
        lines = head.split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1.") or not parts[1].isdigit():
            raise BadAnswer("not an HTTP/1.x status line: %r" % lines[0][:100])
        status = int(parts[1])
        if 100 <= status < 200:
            return  # an interim answer (100 Continue): the real one follows
        fields = {}
        for line in lines[1:]:
            name, sep, value = line.partition(":")
            if sep:
                fields[name.strip().lower()] = value.strip()
        connection = fields.get("connection", "").lower()
        self.keep = (parts[0] == "HTTP/1.1" and "close" not in connection) or "keep-alive" in connection
        self._status, self._retry_after = status, fields.get("retry-after")
        if "chunked" in fields.get("transfer-encoding", "").lower():
            self._length = "chunked"
        elif "content-length" in fields:
            try:
                self._length = int(fields["content-length"])
            except ValueError:
                raise BadAnswer("Content-Length is not a number: %r" % fields["content-length"][:40]) from None
            if self._length < 0:
                raise BadAnswer("negative Content-Length")
        elif status in (204, 304):
            self._length = 0
        else:
            # Delimited by the end of the connection (HTTP/1.0 style).
            self._length, self.keep = -1, False
        if self._length != -1 and self._length != "chunked" and self._length > DRAIN_BYTES:
            # Not read to its end: the excerpt, then the connection goes.
            self._length, self.keep = min(self._length, EXCERPT_BYTES), False

    def _body(self, data):
        if len(self._excerpt) < EXCERPT_BYTES:
            self._excerpt += data[:EXCERPT_BYTES - len(self._excerpt)]
        self._body_seen += len(data)
        if self._body_seen > DRAIN_BYTES:
            self.keep = False
            self._finish()

    def _read_chunks(self):
        buffer = self._buffer
        while not self._waiter.done():
            if self._chunk_state == "data":
                if not buffer:
                    return
                data = bytes(buffer[:self._chunk_left])
                del buffer[:len(data)]
                self._chunk_left -= len(data)
                if not self._chunk_left:
                    self._chunk_state = "end of data"
                self._body(data)
                continue
            end = buffer.find(b"\r\n")
            if end < 0:
                if len(buffer) > HEAD_BYTES:
                    raise BadAnswer("a chunk line exceeds %d bytes" % HEAD_BYTES)
                return
            line = bytes(buffer[:end])
            del buffer[:end + 2]
            if self._chunk_state == "end of data":
                if line:
                    raise BadAnswer("a chunk longer than its size")
                self._chunk_state = "size"
            elif self._chunk_state == "trailer":
                if not line:
                    self._finish()
            else:
                try:
                    size = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise BadAnswer("bad chunk size %r" % line[:40]) from None
                if size < 0:
                    raise BadAnswer("bad chunk size %r" % line[:40])
                self._chunk_state, self._chunk_left = ("data", size) if size else ("trailer", 0)


def _send_requests(url, body, headers, timeout, started):
    try:
        response = requests.post(url, data=body, headers=headers, timeout=timeout, allow_redirects=False)
    except requests.Timeout:
        return Result(False, 0, _ms(started), None, None, "no answer within %s s" % timeout, headers)
    except requests.RequestException as exc:
        return Result(False, 0, _ms(started), None, None, "%s: %s" % (type(exc).__name__, exc), headers)
    excerpt = _text(response.content[:EXCERPT_BYTES])
    success = 200 <= response.status_code < 300
    return Result(success, response.status_code, _ms(started), response.headers.get("Retry-After"), excerpt,
                  None if success else "HTTP %s" % response.status_code, headers)


def _ms(started):
    return int((time.monotonic() - started) * 1000)
