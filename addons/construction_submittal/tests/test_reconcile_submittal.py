"""Reconciliation of submittals: status and revision per submittal."""

from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase

AS_OF = "2026-11-28T23:00:00Z"


@tagged("post_install", "-at_install")
class TestReconcileSubmittal(FinanceCase):
    def test_status_and_revision(self):
        """Odoo holds SUB-88 pending at revision 0 (its status_changed event for revision 1 approved
        never arrived): two value mismatches. SUB-89 agrees."""
        Submittal = self.env["construction.submittal"]
        Mapping = self.env["construction.sync.mapping"]
        for external_id, number in (("SUB-88", "03 20 00-001"), ("SUB-89", "05 12 00-001")):
            submittal = Submittal.create({"project_id": self.project.id, "number": number, "revision": "0",
                                          "title": "Shop drawings %s" % number})
            Mapping.create({"system_id": self.system.id, "res_model": "construction.submittal",
                            "external_id": external_id, "res_id": submittal.id})
        event = self.deliver("submittal.snapshot", {
            "snapshot_id": "S-S", "as_of": AS_OF, "page": 1, "pages": 1,
            "objects": [{"id": "SUB-88", "version": "2026-11-27T10:00:00Z",
                         "values": {"status": "approved", "revision": "1"}},
                        {"id": "SUB-89", "version": "2026-11-27T10:00:00Z",
                         "values": {"status": "pending", "revision": 0}}]}, timestamp=AS_OF)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        Difference = self.env["construction.sync.difference"]
        diffs = Difference.search([("system_id", "=", self.system.id)], order="field_name")
        self.assertEqual([(d.external_id, d.field_name, d.source_value, d.odoo_value) for d in diffs],
                         [("SUB-88", "revision", '"1"', '"0"'), ("SUB-88", "status", '"approved"', '"pending"')])
