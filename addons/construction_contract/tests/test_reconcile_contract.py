"""Reconciliation of contract objects: commitment lines (committed and billed), projects' approved
changes (construction_contract's project spec replaces construction_base's)."""

import json

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
        for external_id, record in (("SC-1-1", self.walls), ("SC-1-2", self.block), ("P-100", self.project),
                                    ("SC-1", self.order), ("V-2001", self.subcontractor), ("CC-0422", self.cc_masonry)):
            Mapping.create({"system_id": self.system.id, "res_model": record._name, "external_id": external_id,
                            "res_id": record.id})

        self.env["construction.sync.event.setting"].search([("system_id", "=", self.system.id)]).write(
            {"requires_approval": False})

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
        with self.assertRaisesRegex(UserError, "billed of SC-1-1 cannot be taken from a snapshot: the billed amount "
                                               "is the sum of the subcontractor bills.*ask the source to resend"):
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

    def test_take_committed(self):
        """The platform says the block line is 400 x 12.50 = 5 000.00, Odoo has 400 x 12.35 =
        4 940.00: taken through commitment.approved naming only that line (the walls stay at
        180 000.00), at Odoo's quantity and 5 000.00 / 400 = 12.50."""
        diff = self.snapshot("commitment_line", [
            {"id": "SC-1-2", "version": V1, "values": {"committed": 5000.00, "billed": 0}},
        ], "S-CL2").filtered(lambda d: d.external_id == "SC-1-2")
        self.assertEqual((diff.field_name, diff.source_value, diff.odoo_value), ("committed", "5000.0", "4940.0"))
        diff.with_user(self.finance_manager).action_take_source()
        self.assertEqual(diff.state, "taken", diff.message_ids[:1].body)
        self.assertEqual((self.block.product_qty, self.block.price_unit, self.block.price_subtotal),
                         (400, 12.5, 5000.0))
        self.assertEqual(self.walls.price_subtotal, 180000.0)
        event = diff.event_id
        self.assertEqual(json.loads(event.payload)["data"], {
            "id": "SC-1", "project_id": "P-100", "vendor_id": "V-2001",
            "lines": [{"id": "SC-1-2", "cost_code_id": "CC-0422", "description": "Block", "quantity": 400.0,
                       "unit_price": 12.5}]})
        self.assertIn(self.finance_manager.name, diff.resolution)
        self.assertEqual(event.audit_ids.filtered(lambda a: a.action == "note").user_id, self.finance_manager)

    def test_take_missing_line(self):
        """SC-1-3 (scaffolding, 8 x 300.00 = 2 400.00) never arrived; the snapshot carries what
        commitment.approved needs: the line is added to SC-1 and mapped."""
        diff = self.snapshot("commitment_line", [
            {"id": "SC-1-3", "version": V1, "values": {
                "committed": 2400.00, "billed": 0, "commitment_id": "SC-1", "project_id": "P-100",
                "vendor_id": "V-2001", "cost_code_id": "CC-0422", "description": "Scaffolding", "quantity": 8,
                "unit_price": 300.00}},
        ], "S-CL3").filtered(lambda d: d.external_id == "SC-1-3")
        self.assertEqual(diff.kind, "missing_in_odoo")
        diff.with_user(self.finance_manager).action_take_source()
        self.assertEqual(diff.state, "taken", diff.message_ids[:1].body)
        mapping = self.env["construction.sync.mapping"]._find(self.system, "purchase.order.line", "SC-1-3")
        line = self.env["purchase.order.line"].browse(mapping.res_id)
        self.assertEqual((line.order_id, line.name, line.product_qty, line.price_subtotal),
                         (self.order, "Scaffolding", 8, 2400.0))
        # Without the commitment it belongs to, nothing can be created: a resend is asked for.
        diff = self.snapshot("commitment_line", [
            {"id": "SC-9-1", "version": V1, "values": {"committed": 10.0, "description": "Orphan"}},
        ], "S-CL4").filtered(lambda d: d.external_id == "SC-9-1")
        with self.assertRaisesRegex(UserError, "does not carry everything commitment.approved needs"):
            diff.with_user(self.finance_manager).action_take_source()

    def test_pay_application_refused(self):
        """A pay application's totals follow from its G703 lines, which a snapshot does not carry."""
        diff = self.snapshot("pay_application", [
            {"id": "PA-7", "version": V1, "values": {"total_completed": 100.0, "retainage": 10.0,
                                                     "payment_due": 90.0}},
        ], "S-PA")
        self.assertEqual(diff.kind, "missing_in_odoo")
        with self.assertRaisesRegex(UserError, "PA-7 \\(pay_application\\) cannot be taken from a snapshot: its "
                                               "totals follow from the G703 lines"):
            diff.with_user(self.finance_manager).action_take_source()
        self.assertEqual(diff.state, "open")
