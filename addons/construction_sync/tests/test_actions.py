from odoo import fields
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SyncCase


@tagged("post_install", "-at_install")
class TestSystemRights(SyncCase):
    """Who may configure systems and mappings. What people do with events needs an event type:
    see test_construction_sync's test_actions."""

    def test_only_managers_see_and_rotate_the_secret(self):
        with self.assertRaises(AccessError):
            self.system.with_user(self.user_integration).read(["secret"])
        with self.assertRaises(UserError):
            self.system.with_user(self.user_integration).action_rotate_secret()
        old = self.system.sudo().secret
        self.system.with_user(self.user_manager).action_rotate_secret()
        self.assertEqual(self.system.sudo().previous_secret, old)
        self.assertTrue(self.system.with_user(self.user_manager).secret.startswith("whsec_"))

    def test_system_code_is_validated_and_unique_per_company(self):
        with self.assertRaises(ValidationError):
            self.env["construction.sync.system"].create({"name": "Bad", "code": "Has Spaces"})
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError), self.cr.savepoint():
            self.env["construction.sync.system"].create({"name": "Again", "code": "field"})
        other_company = self.env["res.company"].create({"name": "Second Builders"})
        twin = self.env["construction.sync.system"].create(
            {"name": "Twin", "code": "field", "company_id": other_company.id})
        self.assertEqual(twin.code, "field")

    def test_only_managers_edit_mappings_and_configure_systems(self):
        partner = self.env["res.partner"].create({"name": "Mapped by hand"})
        mapping = self.Mapping.with_user(self.user_manager).create(
            {"system_id": self.system.id, "res_model": "res.partner", "external_id": "M-1", "res_id": partner.id})
        self.assertEqual(mapping.with_user(self.user_integration).record_ref, partner)
        with self.assertRaises(AccessError):
            mapping.with_user(self.user_integration).write({"external_id": "M-2"})
        with self.assertRaises(AccessError):
            self.Mapping.with_user(self.user_integration).create(
                {"system_id": self.system.id, "res_model": "res.partner", "external_id": "M-3", "res_id": partner.id})
        with self.assertRaises(AccessError):
            self.system.with_user(self.user_integration).write({"rate_limit_per_minute": 1})
        with self.assertRaises(AccessError):
            self.env["construction.sync.replay.wizard"].with_user(self.user_integration).create({
                "system_id": self.system.id, "date_from": fields.Datetime.now(), "reason": "no"})
