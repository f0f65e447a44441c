import json
import time
import uuid

import odoo
from odoo import SUPERUSER_ID, api
from odoo.modules.registry import Registry
from odoo.tests import new_test_user
from odoo.tests.common import BaseCase, HttpCase, TransactionCase

from ..sync import delivery, flood, signature

# A fixed secret keeps failures reproducible.
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"  # 24 bytes, Standard Webhooks' own test vector key


def envelope(event_type, data, timestamp="2026-11-23T08:00:00Z"):
    return {"type": event_type, "timestamp": timestamp, "data": data}


def signed_headers(body, secret=SECRET, webhook_id=None, timestamp=None, content_type="application/json"):
    webhook_id = webhook_id or "msg_%s" % uuid.uuid4().hex
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": webhook_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature.sign(secret, webhook_id, timestamp, body),
        "Content-Type": content_type,
    }


def receive_in(env, code, body, headers, batch=False):
    """Runs a delivery through the endpoint's HTTP checks and the intake in `env`, as the
    controller does; returns (status, reply)."""
    status, reply, _extra = delivery.receive(
        env["construction.sync.intake"].sudo(), code=code, batch=batch, method="POST",
        headers={k.lower(): v for k, v in headers.items()},
        content_type=headers.get("Content-Type", "application/json"),
        content_length=len(body), read_body=lambda limit: body[: limit + 1],
    )
    return status, reply


class SyncWorldMixin:
    """The shared world of construction_sync tests: one user per access level and an external
    system with a known secret, plus helpers to deliver and apply events."""

    @classmethod
    def _build_world(cls):
        cls.company = cls.env.company
        cls.user_plain = new_test_user(cls.env, login="csync_plain", groups="base.group_user")
        cls.user_integration = new_test_user(cls.env, login="csync_user", groups="construction_sync.group_user")
        cls.user_manager = new_test_user(cls.env, login="csync_manager", groups="construction_sync.group_manager")
        cls.system = cls.env["construction.sync.system"].create({"name": "Field Platform", "code": "field"})
        cls.system.sudo().secret = SECRET
        cls.Event = cls.env["construction.sync.event"]
        cls.Mapping = cls.env["construction.sync.mapping"]
        cls.Processor = cls.env["construction.sync.processor"]
        cls.Queue = cls.env["construction.sync.queue"]
        cls.Runner = cls.env["construction.sync.runner"]

    def receive(self, event_type, data, webhook_id=None, timestamp="2026-11-23T08:00:00Z", system=None):
        """Delivers one event through the intake exactly as the controller does."""
        body = json.dumps(envelope(event_type, data, timestamp)).encode()
        return self.receive_raw(body, webhook_id=webhook_id, system=system)

    def receive_raw(self, body, webhook_id=None, batch=False, system=None, headers=None, secret=SECRET):
        system = system or self.system
        headers = headers if headers is not None else signed_headers(body, secret=secret, webhook_id=webhook_id)
        return receive_in(self.env, system.code, body, headers, batch=batch)

    def deliver(self, event_type, data, **kwargs):
        status, reply = self.receive(event_type, data, **kwargs)
        self.assertIn(status, (200, 202), reply)
        return self.Event.browse(reply["event_id"])

    def drain(self, mode="realtime"):
        return self.Runner._drain(mode, commit=False)


class SyncCase(SyncWorldMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls._build_world()


class SyncHttpCase(SyncWorldMixin, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_world()

    def setUp(self):
        super().setUp()
        # Every request of the tests comes from 127.0.0.1: each test starts with the full budget
        # of unauthenticated refusals (sync.flood), whatever the tests before it were refused.
        flood.GUARD.reset()
        self.addCleanup(flood.GUARD.reset)

    def post(self, path, body, headers):
        return self.url_open(path, data=body, headers=headers, timeout=30)

    def deliver_http(self, payload, url=None, **header_kwargs):
        """Signs and posts `payload` (a dict, or raw bytes sent as they are) to the system's
        endpoint, or to `url`; returns (response, headers)."""
        body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        headers = signed_headers(body, **header_kwargs)
        return self.post(url or "/construction_sync/webhook/%s" % self.system.code, body, headers), headers

    def assert_error(self, response, status, code):
        self.assertEqual(response.status_code, status, response.text)
        self.assertEqual(response.headers["Content-Type"].split(";")[0], "application/json")
        error = response.json()["error"]
        self.assertEqual(error["code"], code)
        self.assertTrue(error["message"])
        return error

    def stored(self):
        """(events, rejected deliveries) this system holds."""
        return (self.Event.search_count([("system_id", "=", self.system.id)]),
                self.env["construction.sync.rejected.delivery"].search_count([("system_id", "=", self.system.id)]))


class CommittedCase(BaseCase):
    """Tests of real concurrency: each cursor is its own PostgreSQL connection and commits, as
    Odoo workers on several nodes would. The data is committed, so every test removes what it made."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.registry = Registry(odoo.tests.get_db_name())

    def env_for(self, cr):
        # The test runner holds the registry lock while post-install tests run; giving the cursor
        # its transaction up front keeps Environment() from asking for the registry again.
        cr.transaction = api.Transaction(self.registry)
        return api.Environment(cr, SUPERUSER_ID, {})
