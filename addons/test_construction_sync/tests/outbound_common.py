"""Shared world of the outbound tests: a subscription of the test system with a known secret,
and a real HTTP receiver (test/outbound/receiver.mjs, Node, verifying with the standardwebhooks
library) on a loopback port."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from datetime import timedelta

from odoo import fields
from odoo.tests.common import TransactionCase

from odoo.addons.construction_sync.tests.common import SECRET, SyncWorldMixin

CHANGED = "test_contact.changed"
RATED = "test_contact.rated"
ROOT = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
RECEIVER = os.path.join(ROOT, "test", "outbound", "receiver.mjs")


def _free_port():
    """A loopback port nobody listens on now: the test tiers run Odoo servers on fixed ports
    beside each other (the one after this server's is another tier's), so none is assumed free."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Loopback port of the receiver, chosen once per test process.
RECEIVER_PORT = int(os.environ.get("CSYNC_OUTBOUND_RECEIVER_PORT") or _free_port())
OTHER_SECRET = "whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldY"  # 24 bytes "ABCDEFGHIJKLMNOPQRSTUVWX"


class Receiver:
    """The Node receiver as a subprocess, and its control API."""

    def __init__(self, port=RECEIVER_PORT, secrets=(SECRET,)):
        self.port = port
        self.url = "http://127.0.0.1:%d" % port
        command = ["node", RECEIVER, "--port", str(port)]
        for secret in secrets:
            command += ["--secret", secret]
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening"):
            self.process.kill()
            raise RuntimeError("the outbound receiver did not start: %s" % line)

    def stop(self):
        self.process.terminate()
        self.process.wait(10)

    def _call(self, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + path, data=data, method="POST" if data else "GET",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.loads(response.read())

    def control(self, **values):
        return self._call("/_control", values)

    def reset(self, **values):
        return self.control(reset=True, **values)

    def state(self):
        return self._call("/_state")


class OutboundCase(SyncWorldMixin, TransactionCase):
    """One subscription of the test system to every type, at the receiver's /hook."""

    receiver = None

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._build_world()
        cls.Outbox = cls.env["construction.sync.outbox"]
        cls.Claim = cls.env["construction.sync.outbox.claim"]
        cls.Contact = cls.env["construction.sync.test.contact"]
        cls.subscription = cls.env["construction.sync.subscription"].create({
            "name": "Field platform", "system_id": cls.system.id,
            "endpoint_url": "http://127.0.0.1:%d/hook" % RECEIVER_PORT, "event_types": "*",
            "timeout_seconds": 2,
        })
        cls.subscription.sudo().secret = SECRET

    @classmethod
    def start_receiver(cls, secrets=(SECRET,)):
        cls.receiver = Receiver(secrets=secrets)
        cls.addClassCleanup(cls.receiver.stop)

    def setUp(self):
        super().setUp()
        if self.receiver:
            self.receiver.reset(secrets=[SECRET])

    def contact(self, name="Ridgeline Concrete"):
        return self.Contact.create({"name": name})

    def publish(self, records, event_type=CHANGED):
        return self.Outbox._publish(event_type, records)

    def send(self):
        """One runner pass in the test's transaction (the HTTP requests are real)."""
        return self.Outbox._drain(commit=False)

    def make_due(self, messages):
        """Time travel for a retry: the waiting messages are due now (the wait itself is asserted
        where it matters, on next_attempt_at)."""
        messages.sudo().write({"next_attempt_at": fields.Datetime.now() - timedelta(seconds=1)})
        messages.flush_recordset()

    def wait_ms(self, milliseconds):
        time.sleep(milliseconds / 1000.0)
