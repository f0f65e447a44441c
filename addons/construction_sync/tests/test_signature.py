from odoo.tests.common import BaseCase, tagged

from ..sync import signature

# The test vector published with the Standard Webhooks specification.
VECTOR = {
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    "id": "msg_p5jXN8AQM9LWM0D4loKWxJek",
    "timestamp": 1614265330,
    "body": b'{"test": 2432232314}',
    "signature": "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
}


@tagged("post_install", "-at_install")
class TestSignature(BaseCase):
    def test_matches_the_specification_vector(self):
        self.assertEqual(
            signature.sign(VECTOR["secret"], VECTOR["id"], VECTOR["timestamp"], VECTOR["body"]),
            VECTOR["signature"],
        )

    def verify(self, header, secrets=(VECTOR["secret"],), body=VECTOR["body"]):
        return signature.verify(list(secrets), VECTOR["id"], VECTOR["timestamp"], body, header)

    def test_any_listed_signature_may_match(self):
        header = "v1,bm90IHRoZSByaWdodCBvbmU= v2,whatever %s" % VECTOR["signature"]
        self.assertEqual(self.verify(header), VECTOR["secret"])

    def test_previous_secret_still_verifies_during_rotation(self):
        new = signature.generate_secret()
        self.assertEqual(self.verify(VECTOR["signature"], secrets=(new, VECTOR["secret"])), VECTOR["secret"])
        with self.assertRaises(signature.SignatureError):
            self.verify(VECTOR["signature"], secrets=(new,))

    def test_refuses_tampered_body_missing_and_malformed_headers(self):
        with self.assertRaises(signature.SignatureError):
            self.verify(VECTOR["signature"], body=b'{"test": 2432232315}')
        for header in (None, "", "v1,", "v2,abc", "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="):
            with self.subTest(header=header), self.assertRaises(signature.SignatureError):
                self.verify(header)

    def test_timestamp_tolerance_edges(self):
        now = 1_800_000_000
        self.assertEqual(signature.parse_timestamp(str(now - 300), now), now - 300)
        self.assertEqual(signature.parse_timestamp(str(now + 300), now), now + 300)
        for value in (str(now - 301), str(now + 301), "yesterday", None, "1.5"):
            with self.subTest(value=value), self.assertRaises(signature.SignatureError):
                signature.parse_timestamp(value, now)

    def test_generated_secrets_are_standard(self):
        secret = signature.generate_secret()
        self.assertTrue(secret.startswith("whsec_"))
        self.assertEqual(len(signature.secret_key(secret)), 32)
        self.assertNotEqual(secret, signature.generate_secret())
        for bad in ("whsec_short", "nope_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_!!!!"):
            with self.subTest(bad=bad), self.assertRaises(ValueError):
                signature.secret_key(bad)
