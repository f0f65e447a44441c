from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_rental_billing import RentalCase, dt


@tagged("post_install", "-at_install")
class TestRateChangeButton(RentalCase):
    """Change Rate on a rental line: the line closes at the moment and a new one opens there with
    the new rates, so billed time keeps its price. The excavator rents at 650.00 a day."""

    def change_rate(self, line, at, **rates):
        action = line.action_open_rate_change()
        wizard = self.env[action["res_model"]].with_context(**action["context"]).create({"changed_at": dt(at), **rates})
        result = wizard.action_apply()
        return self.Line.browse(result["res_id"])

    def billed(self, billings, line):
        return billings.filtered(lambda b: b.line_id == line)

    def test_change_rate_splits_the_line_with_figures(self):
        line = self.rent("2026-11-01 00:00:00")
        self.assertEqual(self.bill("2026-11-11 00:00:00").amount, 6500.0)
        with self.assertRaisesRegex(UserError, "already has these rates"):
            self.change_rate(line, "2026-11-16 00:00:00", rate_day=650.0)
        with self.assertRaisesRegex(UserError, "billed up to 2026-11-11 00:00:00 UTC"):
            self.change_rate(line, "2026-11-05 00:00:00", rate_day=600.0)
        with self.assertRaisesRegex(UserError, "use Change Rate"):
            line.rate_day = 600.0
        repriced = self.change_rate(line, "2026-11-16 00:00:00", rate_day=600.0)
        self.assertEqual((line.state, line.returned_at, line.rate_day, line.transferred_to_id),
                         ("returned", dt("2026-11-16 00:00:00"), 650.0, repriced))
        self.assertEqual((repriced.state, repriced.dispatched_at, repriced.rate_day, repriced.project_id),
                         ("dispatched", dt("2026-11-16 00:00:00"), 600.0, self.project))
        repriced.action_return(dt("2026-11-26 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        # 5 more days at 650.00 on the first line, 10 days at 600.00 on the new one
        self.assertEqual(self.billed(billings, line).amount, 3250.0)
        self.assertEqual(self.billed(billings, repriced).amount, 6000.0)
        self.assertEqual(len(billings.move_id), 1, "one invoice per customer and project")
        self.assertEqual(
            billings.move_id.invoice_line_ids.filtered(lambda ml: ml.display_type == "product").mapped("name"), [
                "CAT 320 Excavator %s\nOn rent 2026-11-11 00:00 UTC (period start) to 2026-11-16 00:00 UTC "
                "(rate change)" % line.name,
                "CAT 320 Excavator %s\nOn rent 2026-11-16 00:00 UTC (new rates) to 2026-11-26 00:00 UTC "
                "(return)" % repriced.name,
            ])
        self.assertEqual(line.billed_amount + repriced.billed_amount, 15 * 650.0 + 10 * 600.0)

    def test_from_the_dispatch_the_line_is_re_priced_in_place(self):
        line = self.rent("2026-11-01 00:00:00")
        self.assertEqual(line.action_change_rates(dt("2026-11-01 00:00:00"), {"rate_day": 700.0}), line)
        self.assertEqual((line.rate_day, line.transferred_to_id.id), (700.0, False))
        with self.assertRaisesRegex(UserError, "dispatched later"):
            line.action_change_rates(dt("2026-10-31 00:00:00"), {"rate_day": 600.0})

    def test_engine_hours_reported_after_the_change_move_to_the_new_line(self):
        line = self.rent("2026-11-02 07:00:00", rate_basis="hour")
        Usage = self.env["construction.rental.usage"]
        Usage.create({"line_id": line.id, "reported_at": dt("2026-11-03 18:00:00"), "hours": 8.0})
        # Reported before the rate change was entered, from a moment after it.
        later = Usage.create({"line_id": line.id, "reported_at": dt("2026-11-10 18:00:00"), "hours": 6.5})
        repriced = self.change_rate(line, "2026-11-08 00:00:00", rate_hour=105.0)
        self.assertEqual(later.line_id, repriced)
        repriced.action_return(dt("2026-11-12 00:00:00"))
        billings = self.bill("2026-12-01 00:00:00")
        self.assertEqual(self.billed(billings, line).amount, 760.0)  # 8.00 h x 95.00
        self.assertEqual(self.billed(billings, repriced).amount, 682.5)  # 6.50 h x 105.00

    def test_a_returned_line_not_billed_yet_is_re_priced_from_the_moment(self):
        line = self.rent("2026-11-01 00:00:00")
        line.action_return(dt("2026-11-21 00:00:00"))
        repriced = self.change_rate(line, "2026-11-11 00:00:00", rate_day=600.0)
        self.assertEqual((repriced.state, repriced.dispatched_at, repriced.returned_at),
                         ("returned", dt("2026-11-11 00:00:00"), dt("2026-11-21 00:00:00")))
        billings = self.bill("2026-12-01 00:00:00")
        self.assertEqual((self.billed(billings, line).amount, self.billed(billings, repriced).amount), (6500.0, 6000.0))
        self.assertEqual((line.state, repriced.state), ("invoiced", "invoiced"))
        with self.assertRaisesRegex(UserError, "invoiced"):
            repriced.action_change_rates(dt("2026-11-15 00:00:00"), {"rate_day": 500.0})


@tagged("post_install", "-at_install")
class TestRateChangeEvents(RentalCase):
    """rental.rate_changed splits the rental's line like the button; a dispatch sent again with
    other rates never re-prices it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Mapping = cls.env["construction.sync.mapping"]
        for model, external_id, record in [
            ("project.project", "P-100", cls.project), ("construction.cost.code", "CC-0330", cls.cc_concrete),
            ("maintenance.equipment", "EQ-320", cls.excavator),
        ]:
            Mapping.create({"system_id": cls.system.id, "res_model": model, "external_id": external_id,
                            "res_id": record.id})

    def apply(self, event_type, data, timestamp):
        event = self.deliver(event_type, data, timestamp=timestamp)
        self.drain()
        return event

    def dispatch(self, rate=600.0, timestamp="2026-11-01T08:00:00Z"):
        return self.apply("rental.dispatched", {
            "id": "R-1", "equipment_id": "EQ-320", "project_id": "P-100", "cost_code_id": "CC-0330",
            "direction": "out", "rate_basis": "day", "rate": rate, "dispatched_at": "2026-11-01T00:00:00Z",
        }, timestamp=timestamp)

    def rate_changed(self, changed_at, timestamp, change_id="RC-1", **data):
        return self.apply("rental.rate_changed", {"id": change_id, "rental_id": "R-1", "changed_at": changed_at,
                                                  "rates": {"day": 550.0}, **data}, timestamp=timestamp)

    def test_rate_changed_splits_the_rental_and_a_replay_changes_nothing(self):
        line = self.dispatch().record_ref
        change = self.rate_changed("2026-11-16T00:00:00Z", "2026-11-15T09:00:00Z")
        self.assertEqual(change.state, "done", change.error_message)
        mapping = self.env["construction.sync.mapping"]._find(self.system, "construction.rental.line", "RC-1")
        repriced = mapping.record_ref
        self.assertEqual((line.state, line.returned_at, line.rate_day), ("returned", dt("2026-11-16 00:00:00"), 600.0))
        self.assertEqual((repriced.dispatched_at, repriced.rate_day, repriced.transferred_from_id),
                         (dt("2026-11-16 00:00:00"), 550.0, line))
        replay = self.rate_changed("2026-11-16T00:00:00Z", "2026-11-15T09:00:00Z")
        self.assertEqual(replay.state, "done", replay.error_message)
        self.assertEqual(line._transfer_chain(), line | repriced, "no second split")
        returned = self.apply("rental.returned", {"id": "RET-1", "rental_id": "R-1",
                                                  "returned_at": "2026-11-26T00:00:00Z"}, "2026-11-26T01:00:00Z")
        self.assertEqual(returned.state, "done", returned.error_message)
        self.assertEqual((repriced.state, repriced.returned_at), ("returned", dt("2026-11-26 00:00:00")))
        billings = self.bill("2026-12-01 00:00:00")
        # 15 days at 600.00, then 10 days at 550.00
        self.assertEqual(billings.filtered(lambda b: b.line_id == line).amount, 9000.0)
        self.assertEqual(billings.filtered(lambda b: b.line_id == repriced).amount, 5500.0)

    def test_rate_change_before_the_dispatch_or_in_a_billed_period_is_refused(self):
        line = self.dispatch().record_ref
        early = self.rate_changed("2026-10-30T00:00:00Z", "2026-11-02T09:00:00Z")
        self.assertEqual((early.state, early.error_class), ("failed", "business"))
        self.assertIn("dispatched later, at 2026-11-01 00:00:00 UTC", early.error_message)
        self.bill("2026-11-20 00:00:00")
        billed = self.rate_changed("2026-11-18T00:00:00Z", "2026-11-21T09:00:00Z", change_id="RC-2")
        self.assertEqual((billed.state, billed.error_class), ("failed", "business"))
        self.assertIn("billed up to 2026-11-20 00:00:00 UTC", billed.error_message)
        self.assertEqual((line.state, line.rate_day), ("dispatched", 600.0))
        on_time = self.rate_changed("2026-11-20T00:00:00Z", "2026-11-21T10:00:00Z", change_id="RC-3")
        self.assertEqual(on_time.state, "done", on_time.error_message)
        self.assertEqual(line.transferred_to_id.rate_day, 550.0)

    def test_a_dispatch_sent_again_with_other_rates_is_refused(self):
        line = self.dispatch().record_ref
        again = self.dispatch(rate=650.0, timestamp="2026-11-03T08:00:00Z")
        self.assertEqual((again.state, again.error_class), ("failed", "business"))
        self.assertIn("Send rental.rate_changed", again.error_message)
        self.assertEqual((line.rate_day, line.state), (600.0, "dispatched"), "not re-priced")
        same = self.dispatch(rate=600.0, timestamp="2026-11-04T08:00:00Z")
        self.assertEqual(same.state, "done", "the same terms again change nothing")
        self.bill("2026-11-11 00:00:00")
        billed = self.dispatch(rate=500.0, timestamp="2026-11-12T08:00:00Z")
        self.assertEqual(billed.error_class, "business")
        self.assertEqual(line.rate_day, 600.0)
