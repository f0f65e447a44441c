from odoo.tests import tagged

from .test_rental_billing import RentalCase, dt


@tagged("post_install", "-at_install")
class TestDowntimePolicy(RentalCase):
    """The downtime policy to the second, and downtime that lasts across a transfer. The
    excavator rents at 650.00 a day; the contract's policy pauses billing from 4 h of downtime."""

    def downtime(self, line, start, end, **values):
        return self.env["construction.rental.downtime"].create(
            {"line_id": line.id, "start": dt(start), "end": dt(end) if end else False, **values})

    def billed(self, billings, line):
        return billings.filtered(lambda b: b.line_id == line).amount

    def test_threshold_compares_exact_seconds(self):
        line = self.rent("2026-11-02 08:00:00")
        almost = self.downtime(line, "2026-11-03 10:00:00", "2026-11-03 13:59:59", reason="Waiting for a fitter")
        # 3 h 59 min 59 s is 3.9997 h, shown rounded as 4.00: still below the 4 h policy.
        self.assertEqual(almost.duration_hours, 4.0)
        self.assertFalse(almost.pauses_billing)
        line.action_return(dt("2026-11-12 08:00:00"))
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 6500.0, "10 days, nothing paused")
        self.assertEqual(line.state, "invoiced")
        almost.end = dt("2026-11-03 14:00:00")
        self.assertTrue(almost.pauses_billing, "exactly 4 h pauses")
        self.assertEqual(line.state, "returned")
        # A credit of the 4 hours: a pause of 0.17 day (0.1666..) x 650.00 = 110.50
        self.assertEqual(self.bill("2027-01-01 00:00:00").amount, -110.5)
        self.assertEqual(line.billed_amount, 6389.5)

    def test_threshold_of_a_fraction_of_an_hour(self):
        line = self.rent("2026-11-02 00:00:00", downtime_min_hours=0.5)
        short = self.downtime(line, "2026-11-02 06:00:00", "2026-11-02 06:29:59")
        enough = self.downtime(line, "2026-11-02 12:00:00", "2026-11-02 12:30:00")
        self.assertEqual((short.pauses_billing, enough.pauses_billing), (False, True))
        line.action_return(dt("2026-11-03 00:00:00"))
        # 1.00 day less a pause of 0.02 day (30 min = 0.0208..) = 0.98 day at 650.00
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 637.0)

    def test_breakdown_across_a_transfer_pauses_both_lines(self):
        line = self.rent("2026-11-01 00:00:00")
        successor = line.action_transfer(self.project_b, dt("2026-11-10 12:00:00"))
        # Reported on the line it started on, as the downtime event does.
        self.downtime(line, "2026-11-09 00:00:00", "2026-11-12 00:00:00", reason="Final drive", breakdown=True)
        successor.action_return(dt("2026-11-20 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        # 9.5 days on each project, 1.5 of them broken down on each side of the transfer: 8 days each
        self.assertEqual(self.billed(billings, line), 5200.0)
        self.assertEqual(self.billed(billings, successor), 5200.0)
        self.assertEqual(line.billed_amount + successor.billed_amount, (19 - 3) * 650.0)

    def test_policy_applies_to_the_whole_downtime_not_its_parts(self):
        line = self.rent("2026-11-10 00:00:00")
        successor = line.action_transfer(self.project_b, dt("2026-11-10 12:00:00"))
        # 5 h down from 10:00: 2 h before the transfer, 3 h after it; each part is under 4 h.
        self.downtime(line, "2026-11-10 10:00:00", "2026-11-10 15:00:00")
        successor.action_return(dt("2026-11-11 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        # 0.50 day less 2 h paused (0.0833.. = 0.08 day) = 0.42 day; 0.50 day less 3 h (0.125 = 0.13 day) = 0.37
        self.assertEqual(self.billed(billings, line), 273.0, "10 h at 650.00 a day, as 0.42 day")
        self.assertEqual(self.billed(billings, successor), 240.5, "9 h, as 0.37 day")

    def test_short_downtime_across_a_transfer_pauses_neither(self):
        line = self.rent("2026-11-10 00:00:00")
        successor = line.action_transfer(self.project_b, dt("2026-11-10 12:00:00"))
        self.downtime(line, "2026-11-10 11:00:00", "2026-11-10 14:59:59")
        successor.action_return(dt("2026-11-11 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        self.assertEqual((self.billed(billings, line), self.billed(billings, successor)), (325.0, 325.0))

    def test_open_breakdown_before_a_transfer_pauses_the_new_line_until_it_ends(self):
        line = self.rent("2026-11-01 00:00:00")
        breakdown = self.downtime(line, "2026-11-09 00:00:00", None, reason="Engine")
        successor = line.action_transfer(self.project_b, dt("2026-11-10 00:00:00"))
        billings = self.bill("2026-11-15 00:00:00")
        self.assertEqual(self.billed(billings, line), 5200.0, "8 days")
        self.assertFalse(self.billed(billings, successor), "still broken down")
        breakdown.end = dt("2026-11-13 00:00:00")
        successor.action_return(dt("2026-11-20 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        # 10 days on project B, 3 of them still broken down
        self.assertEqual(self.billed(billings, successor), 4550.0)

    def test_late_downtime_across_a_transfer_credits_both_lines(self):
        line = self.rent("2026-11-01 00:00:00")
        successor = line.action_transfer(self.project_b, dt("2026-11-10 12:00:00"))
        successor.action_return(dt("2026-11-20 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        self.assertEqual((self.billed(billings, line), self.billed(billings, successor)), (6175.0, 6175.0))
        self.assertEqual((line.state, successor.state), ("invoiced", "invoiced"))
        self.downtime(line, "2026-11-09 00:00:00", "2026-11-12 00:00:00", reason="Storm")
        self.assertEqual((line.state, successor.state), ("returned", "returned"), "both have a correction to bill")
        corrections = self.bill("2027-01-01 00:00:00")
        self.assertEqual((self.billed(corrections, line), self.billed(corrections, successor)), (-975.0, -975.0))
        self.assertEqual(corrections.move_id.mapped("construction_project_id"), self.project | self.project_b)
        self.assertEqual(set(corrections.move_id.mapped("move_type")), {"out_refund"})


@tagged("post_install", "-at_install")
class TestDowntimeEventsAcrossTransfer(RentalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Mapping = cls.env["construction.sync.mapping"]
        for model, external_id, record in [
            ("project.project", "P-100", cls.project), ("project.project", "P-101", cls.project_b),
            ("construction.cost.code", "CC-0330", cls.cc_concrete), ("maintenance.equipment", "EQ-320", cls.excavator),
        ]:
            Mapping.create({"system_id": cls.system.id, "res_model": model, "external_id": external_id,
                            "res_id": record.id})

    def apply(self, event_type, data, timestamp="2026-11-23T08:00:00Z"):
        event = self.deliver(event_type, data, timestamp=timestamp)
        self.drain()
        self.assertEqual(event.state, "done", event.error_message)
        return event

    def test_breakdown_reported_after_the_transfer_pauses_both_projects(self):
        line = self.apply("rental.dispatched", {
            "id": "R-1", "equipment_id": "EQ-320", "project_id": "P-100", "cost_code_id": "CC-0330",
            "direction": "out", "rate_basis": "day", "rate": 600.0, "dispatched_at": "2026-11-01T00:00:00Z",
        }, timestamp="2026-11-01T08:00:00Z").record_ref
        self.apply("rental.transferred", {"id": "TR-1", "rental_id": "R-1", "to_project_id": "P-101",
                                          "transferred_at": "2026-11-10T12:00:00Z"}, timestamp="2026-11-10T13:00:00Z")
        successor = line.transferred_to_id
        downtime = self.apply("rental.downtime_reported", {
            "id": "DT-1", "rental_id": "R-1", "start": "2026-11-09T00:00:00Z", "end": "2026-11-12T00:00:00Z",
            "reason": "Final drive", "breakdown": True}).record_ref
        self.assertEqual(downtime.line_id, line)
        self.apply("rental.returned", {"id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-20T00:00:00Z"},
                   timestamp="2026-11-23T10:00:00Z")
        billings = self.bill("2026-12-01 00:00:00")
        # 9.5 days on each project less 1.5 days broken down on each: 8 days at 600.00 each
        self.assertEqual(billings.filtered(lambda b: b.line_id == line).amount, 4800.0)
        self.assertEqual(billings.filtered(lambda b: b.line_id == successor).amount, 4800.0)
