from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SyncCase


@tagged("post_install", "-at_install")
class TestCockpitAvailable(SyncCase):
    """The cockpit asks which optional calls a database answers before making them."""

    def test_only_installed_public_methods_are_available(self):
        Cockpit = self.env["construction.sync.cockpit"].with_user(self.user_integration)
        calls = [
            ["construction.sync.alert", "get_open_alerts"],
            ["construction.sync.no_such_model", "cockpit_summary"],
            ["res.partner", "no_such_method"],
            # Exists, but private: RPC refuses it, so the cockpit must not be told to call it.
            ["construction.sync.cockpit", "_check_access"],
            # An attribute that is no method.
            ["construction.sync.cockpit", "_name"],
        ]
        self.assertEqual(Cockpit.get_available(calls), [["construction.sync.alert", "get_open_alerts"]])
        self.assertEqual(Cockpit.get_available([]), [])

    def test_malformed_calls_get_a_clear_error(self):
        Cockpit = self.env["construction.sync.cockpit"].with_user(self.user_integration)
        for calls in ("construction.sync.alert", [["construction.sync.alert"]], [[1, 2]], [None]):
            with self.subTest(calls=calls), self.assertRaisesRegex(UserError, "list of \\[model, method\\] pairs"):
                Cockpit.get_available(calls)

    def test_users_outside_integration_may_not_ask(self):
        with self.assertRaises(AccessError):
            self.env["construction.sync.cockpit"].with_user(self.user_plain).get_available(
                [["construction.sync.alert", "get_open_alerts"]])
