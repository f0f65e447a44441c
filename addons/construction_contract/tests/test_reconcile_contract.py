"""Reconciliation of contract objects: commitment lines (committed and billed), projects' approved
changes (construction_contract's project spec replaces construction_base's)."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_commitment import CommitmentCase

AS_OF = "2026-11-28T23:00:00Z"
V1 = "2026-11-20T10:00:00Z"


@tagged("post_install", "-at_install")
class TestReconcileContract(CommitmentCase):
    def setUp(self):
        super().setUp()
        Mapping = self.env["construction.sync.mapping"]
        for external_id, record in (("SC-1-1", self.walls), ("SC-1-2", self.block), ("P-100", self.project)):
            Mapping.create({"system_id": self.system.id, "res_model": record._name, "external_id": external_id,
                            "res_id": record.id})

    def snapshot(self, object_type, objects, snapshot_id):
        data = {"snapshot_id": snapshot_id, "as_of": AS_OF, "page": 1, "pages": 1, "objects": objects}
        event = self.deliver("%s.snapshot" % object_type, data, timestamp=AS_OF)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        return self.env["construction.sync.difference"].search(
            [("system_id", "=", self.system.id), ("object_type", "=", object_type)], order="external_id, field_name")

    def test_commitment_lines_committed_and_billed(self):
        """Walls: committed 180 000.00, the platform says 46 000.00 billed, Odoo's posted bill says
        45 000.00. Block: 400 x 12.35 = 4 940.00 committed, nothing billed, on both sides."""
        self.bill([(self.walls, 45000.0)])
        diffs = self.snapshot("commitment_line", [
            {"id": "SC-1-1", "version": V1, "values": {"committed": 180000.00, "billed": 46000.00}},
            {"id": "SC-1-2", "version": V1, "values": {"committed": 4940.00, "billed": 0}},
        ], "S-CL")
        self.assertEqual([(d.external_id, d.kind, d.field_name, d.source_value, d.odoo_value) for d in diffs],
                         [("SC-1-1", "value_mismatch", "billed", "46000.0", "45000.0")])
        with self.assertRaisesRegex(UserError, "ask the source to resend"):
            diffs.with_user(self.finance_manager).action_take_source()

    def test_project_approved_changes(self):
        """The platform counts 25 000.00 of approved changes Odoo has no change order for."""
        diffs = self.snapshot("project", [
            {"id": "P-100", "version": V1, "values": {"contract_value": 1000000.00, "approved_changes": 25000.00}},
        ], "S-P")
        self.assertEqual([(d.kind, d.field_name, d.source_value, d.odoo_value) for d in diffs],
                         [("value_mismatch", "approved_changes", "25000.0", "0.0")])
        with self.assertRaisesRegex(UserError, "approved_changes of P-100 come from other events"):
            diffs.with_user(self.finance_manager).action_take_source()
        self.assertEqual(diffs.state, "open")
