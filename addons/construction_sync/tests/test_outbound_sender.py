"""The outbound sender against real HTTP servers on loopback (Python's http.server in a thread,
and a raw socket server for answers http.server does not give): kept-alive connections, an
endpoint that closed its idle connection, long, chunked, close-delimited, slow and broken answers,
redirects, proxies from the environment, and what a failed attempt says."""

import os
import socket
import ssl
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

from odoo.tests import BaseCase, tagged

from ..sync import sender

# A self-signed certificate for localhost, valid until 2126, made for these tests only.
FIXTURES = os.path.join(os.path.dirname(__file__), "fixtures")


class _Endpoint(ThreadingHTTPServer):
    """Answers every POST with `status` and `body`; counts connections and requests; with
    `close_idle`, closes each connection after its answer without saying so (as a receiver whose
    keep-alive timeout ran out between two messages)."""

    daemon_threads = True

    def __init__(self, status=200, body=b"ok", close_idle=False, headers=()):
        self.status, self.body, self.close_idle, self.extra_headers = status, body, close_idle, dict(headers)
        self.connections = 0
        self.requests = []
        super().__init__(("127.0.0.1", 0), _Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    def get_request(self):
        self.connections += 1
        return super().get_request()

    def handle_error(self, request, client_address):
        # The sender hangs up on an answer too long to read (a test does): not a server error.
        pass

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.server_address[1]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", 0))
        self.server.requests.append((self.path, self.rfile.read(length), dict(self.headers)))
        self.send_response(self.server.status)
        for name, value in self.server.extra_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(self.server.body)))
        self.end_headers()
        self.wfile.write(self.server.body)
        if self.server.close_idle:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

    def log_message(self, *args):
        pass


class _RawEndpoint:
    """Reads each request on a connection (headers and Content-Length body) and writes `answer`
    (bytes, or a list of bytes and float pauses in seconds); closes the connection after it when
    `close` is set. Counts connections and requests."""

    def __init__(self, answer, close=False):
        self.answer, self.close = answer, close
        self.connections = 0
        self.requests = []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = "http://127.0.0.1:%d/hook" % self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _address = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._serve, args=(connection,), daemon=True).start()

    def _serve(self, connection):
        buffer = b""
        with connection:
            try:
                while True:
                    while b"\r\n\r\n" not in buffer:
                        chunk = connection.recv(65536)
                        if not chunk:
                            return
                        buffer += chunk
                    head, buffer = buffer.split(b"\r\n\r\n", 1)
                    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), 0)
                    while len(buffer) < length:
                        buffer += connection.recv(65536)
                    self.requests.append((head, buffer[:length]))
                    buffer = buffer[length:]
                    for part in self.answer if isinstance(self.answer, list) else [self.answer]:
                        if isinstance(part, float):
                            time.sleep(part)
                        else:
                            connection.sendall(part)
                    if self.close:
                        return
            except OSError:
                return

    def stop(self):
        self.listener.close()


@tagged("post_install", "-at_install")
class TestOutboundSender(BaseCase):

    def endpoint(self, **kwargs):
        server = _Endpoint(**kwargs)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        # Each test its own path: the sender caches what it learnt of a URL (proxy or not).
        return server, "%s/hook/%s" % (server.url, uuid.uuid4().hex)

    def send(self, url, body=b'{"type":"x"}'):
        return sender.send(url, body, {"Content-Type": "application/json", "webhook-id": "msg_1"}, 5)

    def test_messages_to_one_endpoint_share_a_kept_alive_connection(self):
        server, url = self.endpoint()
        results = [self.send(url) for _i in range(5)]
        self.assertEqual([(r.success, r.status, r.excerpt, r.error) for r in results], [(True, 200, "ok", None)] * 5)
        self.assertEqual(len(server.requests), 5)
        self.assertEqual(server.connections, 1)
        path, body, headers = server.requests[0]
        self.assertTrue(path.startswith("/hook/"))
        self.assertEqual((body, headers["webhook-id"]), (b'{"type":"x"}', "msg_1"))

    def test_an_idle_connection_the_endpoint_closed_is_replaced(self):
        server, url = self.endpoint(close_idle=True)
        results = [self.send(url) for _i in range(3)]
        self.assertEqual([r.success for r in results], [True] * 3)
        # Each message arrived once, each on a new connection.
        self.assertEqual(len(server.requests), 3)
        self.assertEqual(server.connections, 3)

    def test_lanes_keep_each_lane_in_order(self):
        server, url = self.endpoint()
        lanes = [[(("lane", lane, n), (url + "/%d/%d" % (lane, n), b"{}", {}, 5)) for n in range(20)]
                 for lane in range(3)]
        results = sender.run_lanes(lanes)
        self.assertEqual([len(lane) for lane in results], [20, 20, 20])
        self.assertTrue(all(result.success for lane in results for result in lane.values()))
        for lane in range(3):
            paths = [path.rsplit("/", 2)[1:] for path, _body, _headers in server.requests
                     if path.split("/")[-2] == str(lane)]
            self.assertEqual(paths, [[str(lane), str(n)] for n in range(20)])
        self.assertLessEqual(server.connections, 3)

    def test_long_answer_is_cut_and_its_connection_not_reused(self):
        server, url = self.endpoint(body=b"x" * (sender.DRAIN_BYTES + 100_000))
        first = self.send(url)
        self.assertTrue(first.success)
        self.assertEqual(first.excerpt, "x" * sender.EXCERPT_BYTES)
        self.send(url)
        self.assertEqual(server.connections, 2)

    def test_redirect_is_not_followed(self):
        server, url = self.endpoint(status=302, headers={"Location": "http://example.invalid/"})
        result = self.send(url)
        self.assertEqual((result.success, result.status, result.error), (False, 302, "HTTP 302"))
        self.assertEqual(len(server.requests), 1)

    def test_retry_after_is_passed_on(self):
        _server, url = self.endpoint(status=503, headers={"Retry-After": "7"})
        result = self.send(url)
        self.assertEqual((result.success, result.status, result.retry_after), (False, 503, "7"))

    def test_refused_connection_and_bad_url_say_what_happened(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        refused = self.send("http://127.0.0.1:%d/hook" % port)
        self.assertEqual((refused.success, refused.status), (False, 0))
        self.assertIn("ConnectionRefusedError", refused.error)
        bad = self.send("ftp://127.0.0.1/hook")
        self.assertEqual((bad.success, bad.status), (False, 0))
        self.assertIn("invalid endpoint URL", bad.error)

    def test_a_proxy_from_the_environment_is_honoured(self):
        proxy, _url = self.endpoint(body=b"via proxy")
        # A host the proxy stands for: nothing listens on port 9 (discard) and the request never
        # goes there; localhost because Odoo's test runner lets `requests` reach loopback only.
        target = "http://localhost:9/hook/%s" % uuid.uuid4().hex
        with mock.patch.dict(os.environ, {"http_proxy": proxy.url, "no_proxy": ""}):
            result = self.send(target)
        self.assertEqual((result.success, result.excerpt), (True, "via proxy"))
        # The proxy got the absolute URL, as a forward proxy does.
        self.assertEqual(proxy.requests[0][0], target)

    def raw(self, answer, close=False):
        endpoint = _RawEndpoint(answer, close)
        self.addCleanup(endpoint.stop)
        return endpoint

    def test_a_chunked_answer_is_read_to_its_end_and_its_connection_reused(self):
        endpoint = self.raw(b"HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n\r\n"
                            b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n")
        results = [self.send(endpoint.url) for _i in range(3)]
        self.assertEqual([(r.success, r.status, r.excerpt) for r in results], [(True, 202, "hello, world")] * 3)
        self.assertEqual(endpoint.connections, 1)

    def test_an_answer_with_nul_or_bad_utf8_is_kept_as_text(self):
        endpoint = self.raw(b"HTTP/1.1 500 Oops\r\nContent-Length: 9\r\n\r\nok\x00end\xff\t!")
        result = self.send(endpoint.url)
        self.assertEqual((result.success, result.status, result.excerpt), (False, 500, "ok\ufffdend\ufffd\t!"))

    def test_an_answer_delimited_by_the_end_of_the_connection(self):
        endpoint = self.raw(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nreceived", close=True)
        results = [self.send(endpoint.url) for _i in range(2)]
        self.assertEqual([(r.success, r.excerpt) for r in results], [(True, "received")] * 2)
        self.assertEqual(endpoint.connections, 2)

    def test_the_timeout_covers_an_answer_that_trickles(self):
        # Headers at once, then the body a byte at a time: each read is quick, the whole is not.
        endpoint = self.raw([b"HTTP/1.1 200 OK\r\nContent-Length: 20\r\n\r\n"] + [0.3, b"x"] * 20)
        started = time.monotonic()
        result = sender.send(endpoint.url, b"{}", {}, 1)
        self.assertLess(time.monotonic() - started, 3)
        self.assertEqual((result.success, result.status, result.error), (False, 0, "no answer within 1 s"))

    def test_an_answer_that_is_not_http_is_a_failed_attempt(self):
        endpoint = self.raw(b"SSH-2.0-OpenSSH_9.2\r\n\r\n")
        result = self.send(endpoint.url)
        self.assertEqual((result.success, result.status), (False, 0))
        self.assertIn("BadAnswer", result.error)

    def test_a_header_value_with_a_line_break_is_refused_before_sending(self):
        endpoint = self.raw(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")
        result = sender.send(endpoint.url, b"{}", {"X-Tenant": "a\r\nX-Injected: 1"}, 5)
        self.assertEqual((result.success, result.status), (False, 0))
        self.assertIn("invalid request header", result.error)
        self.assertEqual(endpoint.requests, [])

    def test_many_lanes_share_one_loop_each_on_its_own_connection(self):
        server, url = self.endpoint()
        lanes = [[((lane, n), (url, b"{}", {"webhook-id": "msg_%d_%d" % (lane, n)}, 5)) for n in range(25)]
                 for lane in range(8)]
        results = sender.run_lanes(lanes)
        self.assertTrue(all(result.success for lane in results for result in lane.values()))
        self.assertEqual(len(server.requests), 200)
        self.assertLessEqual(server.connections, 8)

    def tls_endpoint(self):
        server = _Endpoint()
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(os.path.join(FIXTURES, "localhost.crt"), os.path.join(FIXTURES, "localhost.key"))
        server.socket = context.wrap_socket(server.socket, server_side=True)
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        return server, "https://localhost:%d/hook/%s" % (server.server_address[1], uuid.uuid4().hex)

    def test_https_verifies_the_endpoints_certificate(self):
        server, url = self.tls_endpoint()
        refused = self.send(url)
        self.assertEqual((refused.success, refused.status), (False, 0))
        self.assertIn("CERTIFICATE_VERIFY_FAILED", refused.error)
        self.assertEqual(server.requests, [])
        # Trusted (as a company CA would be, in the system's store): delivered, one connection.
        trusting = ssl.create_default_context(cafile=os.path.join(FIXTURES, "localhost.crt"))
        refused_connections = server.connections
        with mock.patch.object(sender, "_tls", trusting):
            results = [self.send(url) for _i in range(3)]
        self.assertEqual([(r.success, r.status, r.excerpt) for r in results], [(True, 200, "ok")] * 3)
        self.assertEqual(len(server.requests), 3)
        self.assertEqual(server.connections - refused_connections, 1)
