import json
from datetime import timedelta
from unittest.mock import patch

from requests.adapters import HTTPAdapter

from odoo import fields
from odoo.tests import tagged
from odoo.tests.common import Opener
from odoo.tools import config

from odoo.addons.construction_sync.sync import secret_store
from odoo.addons.construction_sync.tests.common import SECRET, SyncHttpCase, envelope, signed_headers

from .common import CONTACT

URL = "/construction_sync/webhook/field"
DATA = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer", "email": "ap@harbor.example"}
WRONG_SECRET = "whsec_" + "A" * 32
BUDGET = 5


class SourceAddressAdapter(HTTPAdapter):
    """Connects from another loopback address: the server sees another client address."""

    def __init__(self, source, **kwargs):
        self.source = source
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source, 0)
        super().init_poolmanager(*args, **kwargs)


@tagged("post_install", "-at_install")
class TestPreauthHttp(SyncHttpCase):
    """Unauthenticated floods over real HTTP: an address over its budget of refusals is answered
    429 before the engine looks at anything, while a system's signed deliveries from another
    address are accepted. The budget's arithmetic is tested in construction_sync's test_flood."""

    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("construction_sync.unauthenticated_per_minute", str(BUDGET))
        self.body = json.dumps(envelope(CONTACT, DATA)).encode()
        # Counts the system lookups: a request answered 429 for its address must not reach one.
        Intake = type(self.env["construction.sync.intake"])
        original, self.lookups = Intake._senders, []

        def senders(intake, code):
            self.lookups.append(code)
            return original(intake, code)

        patcher = patch.object(Intake, "_senders", senders)
        patcher.start()
        self.addCleanup(patcher.stop)

    def post_from(self, source, body, headers, url=URL):
        opener = Opener(self.cr)
        opener.cookies.update(self.opener.cookies)  # the test cursor's cookie
        opener.mount("http://", SourceAddressAdapter(source))
        return opener.post(self.base_url() + url, data=body, headers=headers, timeout=30)

    def stored(self):
        return self.Event.search_count([("system_id", "=", self.system.id)])

    def test_a_flood_gets_429_while_the_systems_signed_deliveries_from_another_address_are_accepted(self):
        forged = [self.post(URL, self.body, signed_headers(self.body, secret=WRONG_SECRET)) for _i in range(12)]
        self.assertEqual([r.status_code for r in forged], [401] * BUDGET + [429] * (12 - BUDGET))
        refused = forged[-1]
        self.assertEqual(refused.headers["Content-Type"].split(";")[0], "application/json")
        self.assertEqual(refused.json()["error"]["code"], "unauthenticated_rate_limited")
        self.assertTrue(1 <= int(refused.headers["Retry-After"]) <= 60 / BUDGET)
        self.assertEqual(len(self.lookups), BUDGET, "the 429s were answered without looking the system up")
        # Unsigned garbage, other codes, other methods: the address is refused before anything.
        self.assertEqual(self.post(URL, b"{", {"Content-Type": "application/json"}).status_code, 429)
        self.assertEqual(self.post("/construction_sync/webhook/nope", self.body, {}).status_code, 429)
        self.assertEqual(self.url_open(URL).status_code, 429)

        # The system's sender, elsewhere, is not affected.
        for _i in range(3):
            accepted = self.post_from("127.0.0.2", self.body, signed_headers(self.body))
            self.assertEqual(accepted.status_code, 202, accepted.text)
        # A few failures of its own do not shut it out either.
        self.assertEqual(self.post_from("127.0.0.3", self.body, {"Content-Type": "application/json"}).status_code, 401)
        self.assertEqual(self.post_from("127.0.0.3", self.body, signed_headers(self.body)).status_code, 202)
        self.assertEqual(self.stored(), 4)

        # The flooding address is refused even when it signs, until its budget refills: the price
        # of answering it before looking at anything (see sync/flood.py).
        self.assertEqual(self.post(URL, self.body, signed_headers(self.body)).status_code, 429)
        self.assertEqual(self.stored(), 4)

    def test_garbage_from_a_senders_own_address_does_not_shut_it_out(self):
        # Same address (a NAT, a shared proxy): once it has signed a delivery, its refusals do not
        # count; the system's own rate limit is what limits it.
        self.assertEqual(self.post(URL, self.body, signed_headers(self.body)).status_code, 202)
        for _i in range(2 * BUDGET):
            response = self.post(URL, self.body, signed_headers(self.body, secret=WRONG_SECRET))
            self.assertEqual(response.status_code, 401, response.text)
        self.assertEqual(self.post(URL, self.body, signed_headers(self.body)).status_code, 202)

    def test_zero_turns_the_budget_off(self):
        self.env["ir.config_parameter"].sudo().set_param("construction_sync.unauthenticated_per_minute", "0")
        statuses = {self.post(URL, self.body, {"Content-Type": "application/json"}).status_code for _i in range(12)}
        self.assertEqual(statuses, {401})


@tagged("post_install", "-at_install")
class TestEncryptedSecretHttp(SyncHttpCase):
    """With construction_sync_secret_key in the server configuration, secrets are stored encrypted
    and deliveries keep verifying over real HTTP, through a rotation and its grace period."""

    def test_deliveries_verify_against_encrypted_secrets_through_a_rotation(self):
        body = json.dumps(envelope(CONTACT, DATA)).encode()
        with patch.dict(config.options, {secret_store.CONFIG_KEY: "odoo.conf value for the test"}):
            self.system.sudo().secret = SECRET
            self.system.with_user(self.user_manager).action_rotate_secret()
            new_secret = self.system.sudo().secret
            self.env.cr.execute("SELECT secret, previous_secret FROM construction_sync_system WHERE id = %s",
                                (self.system.id,))
            for stored in self.env.cr.fetchone():
                self.assertTrue(stored.startswith(secret_store.SEALED_PREFIX))
                self.assertNotIn("whsec_", stored)
            for secret in (SECRET, new_secret):  # the previous one during its grace period
                response = self.post(URL, body, signed_headers(body, secret=secret))
                self.assertEqual(response.status_code, 202, response.text)
            self.system.sudo().previous_secret_valid_until = fields.Datetime.now() - timedelta(seconds=1)
            self.assertEqual(self.post(URL, body, signed_headers(body, secret=SECRET)).status_code, 401)
            self.assertEqual(self.post(URL, body, signed_headers(body, secret=new_secret)).status_code, 202)
            self.env.cr.execute("SELECT previous_secret, previous_secret_valid_until FROM construction_sync_system"
                                " WHERE id = %s", (self.system.id,))
            self.assertEqual(self.env.cr.fetchone(), (None, None), "erased by the delivery that found it expired")
