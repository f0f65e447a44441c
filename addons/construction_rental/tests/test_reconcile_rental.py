"""Reconciliation of rentals: the rental system's state and billed amount per rental."""

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
