from datetime import datetime

from odoo.tests import tagged

from .test_rental_billing import RentalCase


def dt(text):
    return datetime.fromisoformat(text)


@tagged("post_install", "-at_install")
class TestRentalEvents(RentalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Mapping = cls.env["construction.sync.mapping"]
        for model, external_id, record in [
            ("project.project", "P-100", cls.project), ("project.project", "P-101", cls.project_b),
            ("construction.cost.code", "CC-0330", cls.cc_concrete), ("maintenance.equipment", "EQ-320", cls.excavator),
        ]:
            Mapping.create({
                "system_id": cls.system.id, "res_model": model, "external_id": external_id, "res_id": record.id,
            })

    def apply(self, event_type, data, timestamp="2026-11-23T08:00:00Z"):
        event = self.deliver(event_type, data, timestamp=timestamp)
        self.drain()
        return event

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)

    def dispatch(self, rental_id="R-1", at="2026-11-02T07:30:00Z", timestamp="2026-11-02T08:00:00Z", **extra):
        return self.apply("rental.dispatched", {
            "id": rental_id, "equipment_id": "EQ-320", "project_id": "P-100", "cost_code_id": "CC-0330",
            "direction": "out", "rate_basis": "day", "rate": 600.0, "dispatched_at": at, **extra,
        }, timestamp=timestamp)

    def test_equipment_upserted_creates_then_updates(self):
        event = self.apply("equipment.upserted", {
            "id": "EQ-9", "name": "Bobcat S650", "serial": "B3NK11111", "ownership": "rented_in",
            "rates": {"day": 310.0, "week": 1150.0}})
        self.assertDone(event)
        equipment = event.record_ref
        self.assertEqual(
            (equipment.serial_no, equipment.construction_ownership, equipment.rate_day, equipment.rate_week),
            ("B3NK11111", "rented_in", 310.0, 1150.0))
        self.assertDone(self.apply(
            "equipment.upserted", {"id": "EQ-9", "name": "Bobcat S650", "rates": {"day": 320.0}},
            timestamp="2026-11-23T09:00:00Z"))
        self.assertEqual((equipment.rate_day, equipment.rate_week), (320.0, 1150.0))

    def test_reserve_dispatch_use_return_bill(self):
        reserved = self.apply("rental.reserved", {
            "id": "R-1", "equipment_id": "EQ-320", "project_id": "P-100", "direction": "out",
            "expected_return_at": "2026-11-20T17:00:00Z"}, timestamp="2026-11-01T08:00:00Z")
        self.assertDone(reserved)
        line = reserved.record_ref
        self.assertEqual((line.state, line.rate_day, line.expected_return_at),
                         ("reserved", 650.0, dt("2026-11-20 17:00:00")))
        dispatched = self.dispatch(fuel_rate=2.0)
        self.assertDone(dispatched)
        self.assertEqual(dispatched.record_ref, line)
        self.assertEqual((line.state, line.dispatched_at, line.rate_day, line.cost_code_id),
                         ("dispatched", dt("2026-11-02 07:30:00"), 600.0, self.cc_concrete))
        usage = self.apply("rental.usage_reported", {
            "id": "U-1", "rental_id": "R-1", "reported_at": "2026-11-02T18:00:00Z", "hours": 8.5, "fuel_liters": 95.5})
        self.assertDone(usage)
        # Reports move the line's totals: never applied by two runners at once per rental.
        self.assertEqual(usage.conflict_key, "construction.rental.line:R-1")
        self.assertEqual(line.usage_hours, 8.5)
        self.assertEqual(line.charge_ids.amount, 191.0)
        self.assertDone(self.apply("rental.returned", {
            "id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-12T13:30:00Z"}))
        self.assertEqual((line.state, line.returned_at), ("returned", dt("2026-11-12 13:30:00")))
        billing = self.bill("2026-12-01 00:00:00")
        # 10.25 days at 600.00 + 95.5 l at 2.00
        self.assertEqual((billing.time_delta, billing.charge_amount), (6150.0, 191.0))

    def test_breakdown_opens_a_maintenance_request_and_its_end_resumes_billing(self):
        self.dispatch(at="2026-11-01T00:00:00Z")
        down = self.apply("rental.downtime_reported", {
            "id": "DT-1", "rental_id": "R-1", "start": "2026-11-05T00:00:00Z", "end": None,
            "reason": "Hydraulic hose burst", "breakdown": True})
        self.assertDone(down)
        downtime = down.record_ref
        self.assertEqual(downtime.maintenance_request_id.equipment_id, self.excavator)
        self.assertTrue(downtime.pauses_billing)
        self.assertDone(self.apply("rental.downtime_reported", {
            "id": "DT-1", "rental_id": "R-1", "start": "2026-11-05T00:00:00Z", "end": "2026-11-07T00:00:00Z",
            "reason": "Hydraulic hose burst", "breakdown": True}, timestamp="2026-11-23T09:00:00Z"))
        requests = self.env["maintenance.request"].search([("construction_downtime_id", "=", downtime.id)])
        self.assertEqual(len(requests), 1)
        self.assertEqual(self.bill("2026-11-11 00:00:00").amount, 4800.0)  # 10 days less 2

    def test_return_before_its_dispatch_arrived_waits_then_applies(self):
        self.apply("rental.reserved", {
            "id": "R-1", "equipment_id": "EQ-320", "project_id": "P-100", "direction": "out",
        }, timestamp="2026-11-01T08:00:00Z")
        returned = self.apply("rental.returned", {
            "id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-12T13:30:00Z",
        }, timestamp="2026-11-12T14:00:00Z")
        self.assertEqual((returned.state, returned.error_class), ("failed", "data"))
        self.assertIn("has not been dispatched yet", returned.error_message)
        # Sent before the return, delivered after it (the platform's queue was stuck).
        self.dispatch(at="2026-11-02T07:30:00Z", timestamp="2026-11-02T08:00:00Z")
        self.drain()
        self.assertDone(returned)
        self.assertEqual(returned.record_ref.state, "returned")

    def test_return_for_an_unknown_rental_waits_for_its_dispatch(self):
        returned = self.apply("rental.returned", {
            "id": "RET-1", "rental_id": "R-7", "returned_at": "2026-11-12T13:30:00Z"})
        self.assertEqual((returned.state, returned.error_class), ("failed", "data"))
        self.dispatch(rental_id="R-7")
        self.drain()
        self.assertDone(returned)

    def test_return_older_than_the_dispatch_is_refused_with_both_moments(self):
        self.dispatch(at="2026-11-02T07:30:00Z")
        returned = self.apply("rental.returned", {
            "id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-01T16:00:00Z",
        }, timestamp="2026-11-23T09:00:00Z")
        self.assertEqual((returned.state, returned.error_class), ("failed", "business"))
        self.assertIn("2026-11-01 16:00:00", returned.error_message)
        self.assertIn("was dispatched at 2026-11-02 07:30:00", returned.error_message)

    def test_usage_after_return_is_kept_but_not_billed_as_hours(self):
        self.dispatch()
        self.apply("rental.returned", {"id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-05T12:00:00Z"},
                   timestamp="2026-11-23T09:00:00Z")
        late = self.apply("rental.usage_reported", {
            "id": "U-9", "rental_id": "R-1", "reported_at": "2026-11-06T08:00:00Z", "hours": 2.0,
        }, timestamp="2026-11-01T00:00:00Z")
        self.assertDone(late)
        self.assertEqual(late.record_ref.timing, "after_return")

    def test_transfer_opens_a_line_known_by_the_transfer_id(self):
        self.dispatch(at="2026-11-01T00:00:00Z")
        transfer = self.apply("rental.transferred", {
            "id": "TR-1", "rental_id": "R-1", "to_project_id": "P-101", "transferred_at": "2026-11-10T12:00:00Z",
        }, timestamp="2026-11-23T09:00:00Z")
        self.assertDone(transfer)
        first = transfer.record_ref
        Mapping = self.env["construction.sync.mapping"]
        successor = Mapping._find(self.system, "construction.rental.line", "TR-1").record_ref
        self.assertEqual((first.state, first.returned_at, first.transferred_to_id),
                         ("returned", dt("2026-11-10 12:00:00"), successor))
        self.assertEqual((successor.project_id, successor.dispatched_at, successor.rate_day),
                         (self.project_b, first.returned_at, 600.0))
        # Facts named by the rental's own id land on the line that covered their moment.
        before = self.apply("rental.usage_reported", {
            "id": "U-1", "rental_id": "R-1", "reported_at": "2026-11-09T18:00:00Z", "hours": 6.0})
        after = self.apply("rental.usage_reported", {
            "id": "U-2", "rental_id": "R-1", "reported_at": "2026-11-11T18:00:00Z", "hours": 7.0})
        self.assertEqual((before.record_ref.line_id, after.record_ref.line_id), (first, successor))
        returned = self.apply("rental.returned", {
            "id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-20T00:00:00Z",
        }, timestamp="2026-11-23T10:00:00Z")
        self.assertDone(returned)
        self.assertEqual((successor.state, successor.returned_at), ("returned", dt("2026-11-20 00:00:00")))

    def test_return_before_the_transfer_is_refused(self):
        self.dispatch(at="2026-11-01T00:00:00Z")
        self.apply("rental.transferred", {
            "id": "TR-1", "rental_id": "R-1", "to_project_id": "P-101", "transferred_at": "2026-11-10T12:00:00Z",
        }, timestamp="2026-11-23T09:00:00Z")
        returned = self.apply("rental.returned", {
            "id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-08T00:00:00Z",
        }, timestamp="2026-11-23T10:00:00Z")
        self.assertEqual(returned.error_class, "business")
        self.assertIn("was dispatched at", returned.error_message)

    def test_lifecycle_event_older_than_the_last_applied_is_stale(self):
        self.dispatch(at="2026-11-01T00:00:00Z")
        self.apply("rental.returned", {"id": "RET-1", "rental_id": "R-1", "returned_at": "2026-11-05T00:00:00Z"},
                   timestamp="2026-11-23T10:00:00Z")
        old = self.apply("rental.reserved", {"id": "R-1", "equipment_id": "EQ-320", "project_id": "P-100",
                                             "direction": "out"}, timestamp="2026-10-30T08:00:00Z")
        self.assertEqual(old.state, "stale")
