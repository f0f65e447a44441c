from odoo.tests import tagged

from .common import SyncCase


@tagged("post_install", "-at_install")
class TestMappingForm(SyncCase):
    """The mapping form's Odoo record: picked as a reference, stored as res_model and res_id."""

    def test_the_record_picked_in_the_form_is_what_the_mapping_points_to(self):
        partner = self.env["res.partner"].create({"name": "Harbor (existing)"})
        mapping = self.Mapping.with_user(self.user_manager).create({
            "system_id": self.system.id, "res_model": "res.partner", "external_id": "C-1",
            "record_ref": "res.partner,%s" % partner.id,
        })
        self.assertEqual((mapping.res_model, mapping.res_id, mapping.record_ref), ("res.partner", partner.id, partner))
        mapping.record_ref = False
        self.assertEqual((mapping.res_model, mapping.res_id), ("res.partner", 0))
