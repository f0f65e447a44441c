"""Reconciliation of rentals: the rental system's state and billed amount per rental."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_rental_billing import RentalCase

AS_OF = "2026-11-28T23:00:00Z"


@tagged("post_install", "-at_install")
class TestReconcileRental(RentalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for model, external_id, record in [("project.project", "P-100", cls.project),
                                           ("construction.cost.code", "CC-0330", cls.cc_concrete),
                                           ("maintenance.equipment", "EQ-320", cls.excavator)]:
            cls.env["construction.sync.mapping"].create({
                "system_id": cls.system.id, "res_model": model, "external_id": external_id, "res_id": record.id})

    def test_state_and_billed_amount(self):
        """R-1 dispatched at 600.00 a day: the rental system says it is on rent and billed 1 200.00;
        Odoo billed nothing yet. The rental's second key (R-1@dispatched) is no object of the
        source: not "unknown at the source"."""
        event = self.deliver("rental.dispatched", {
            "id": "R-1", "equipment_id": "EQ-320", "project_id": "P-100", "cost_code_id": "CC-0330",
            "direction": "out", "rate_basis": "day", "rate": 600.0, "dispatched_at": "2026-11-02T07:30:00Z",
        }, timestamp="2026-11-02T08:00:00Z")
        self.drain()
        self.assertEqual(event.state, "done", event.error_message)
        line = event.record_ref
        snapshot = self.deliver("rental_line.snapshot", {
            "snapshot_id": "S-R", "as_of": AS_OF, "page": 1, "pages": 1,
            "objects": [{"id": "R-1", "version": "2026-11-02T08:00:00Z",
                         "values": {"state": line.state, "billed_amount": 1200.00}}]}, timestamp=AS_OF)
        self.drain()
        self.assertEqual(snapshot.state, "done", snapshot.error_message)
        diffs = self.env["construction.sync.difference"].search([("system_id", "=", self.system.id)])
        self.assertEqual([(d.external_id, d.kind, d.field_name, d.source_value, d.odoo_value) for d in diffs],
                         [("R-1", "value_mismatch", "billed_amount", "1200.0", "0.0")])
        # Billed amounts follow from the charges of the rental's own events: nothing to take.
        with self.assertRaisesRegex(UserError, "billed_amount of R-1 cannot be taken from a snapshot: the billed "
                                               "amount is what Odoo invoiced"):
            diffs.with_user(self.finance_manager).action_take_source()
        self.assertEqual(diffs.state, "open")

    def test_take_missing_reservation(self):
        """R-9 was reserved at the rental system (the excavator for P-100 at 600.00 a day) but the
        event never arrived: the snapshot carries the reservation's terms, so rental.reserved
        creates and maps it. A missing rental already on rent cannot be taken."""
        self.env["construction.sync.event.setting"].search([("system_id", "=", self.system.id)]).write(
            {"requires_approval": False})
        snapshot = self.deliver("rental_line.snapshot", {
            "snapshot_id": "S-R9", "as_of": AS_OF, "page": 1, "pages": 1,
            "objects": [
                {"id": "R-9", "version": "2026-11-20T08:00:00Z",
                 "values": {"state": "reserved", "billed_amount": 0, "equipment_id": "EQ-320", "project_id": "P-100",
                            "direction": "out", "cost_code_id": "CC-0330", "rate_basis": "day", "rate": 600.0}},
                {"id": "R-10", "version": "2026-11-20T08:00:00Z",
                 "values": {"state": "dispatched", "billed_amount": 0, "equipment_id": "EQ-320",
                            "project_id": "P-100", "direction": "out"}},
            ]}, timestamp=AS_OF)
        self.drain()
        self.assertEqual(snapshot.state, "done", snapshot.error_message)
        Difference = self.env["construction.sync.difference"].with_user(self.finance_manager)
        missing = Difference.search([("system_id", "=", self.system.id), ("external_id", "=", "R-9")])
        self.assertEqual(missing.kind, "missing_in_odoo")
        missing.action_take_source()
        self.assertEqual(missing.state, "taken", missing.message_ids[:1].body)
        mapping = self.env["construction.sync.mapping"]._find(self.system, "construction.rental.line", "R-9")
        line = self.env["construction.rental.line"].browse(mapping.res_id)
        self.assertEqual((line.state, line.equipment_id, line.project_id, line.rate_basis, line.rate_day),
                         ("reserved", self.excavator, self.project, "day", 600.0))
        on_rent = Difference.search([("system_id", "=", self.system.id), ("external_id", "=", "R-10")])
        with self.assertRaisesRegex(UserError, "does not carry everything rental.reserved needs"):
            on_rent.action_take_source()
