from datetime import datetime

from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..models.construction_rental_line import cheapest_cost, to_local
from odoo.addons.construction_base.tests.common import FinanceCase


def dt(text):
    return datetime.fromisoformat(text)


class RentalCase(FinanceCase):
    """A small fleet on top of the finance world: an owned excavator with list rates and a loader
    rented in from a vendor. Datetimes are UTC, amounts USD. The rental products carry no tax
    here, so the worked figures are the invoices' totals (test_rental_invoice_lines taxes them).
    Time is billed in days to 2 decimals (the "Product Unit of Measure" precision) at the day
    rate: an amount is the rounded quantity x the rate, rounded half-up to the cent."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.vendor = cls.env["res.partner"].create({"name": "Summit Equipment Rentals", "supplier_rank": 1})
        cls.excavator = cls.env["maintenance.equipment"].create({
            "name": "CAT 320 Excavator", "construction_ownership": "owned", "rate_hour": 95.0,
            "rate_day": 650.0, "rate_week": 2600.0, "rate_month": 7800.0, "ownership_cost_rate": 310.0,
        })
        cls.loader = cls.env["maintenance.equipment"].create({
            "name": "Wheel Loader 950", "construction_ownership": "rented_in", "partner_id": cls.vendor.id,
            "rate_day": 480.0, "rate_week": 1900.0, "rate_month": 5600.0,
        })
        cls.project_b = cls.env["project.project"].create({"name": "Cedar Ridge Elementary School",
                                                           "partner_id": cls.customer.id})
        cls.Line = cls.env["construction.rental.line"]
        cls.Billing = cls.env["construction.rental.billing"]
        cls.rental_products = cls.env["product.product"].browse([cls.env.ref(xmlid).id for xmlid in (
            "construction_rental.product_rental_time", "construction_rental.product_rental_fuel",
            "construction_rental.product_rental_damage", "construction_rental.product_rental_other")])
        cls.rental_products.write({"taxes_id": [Command.clear()], "supplier_taxes_id": [Command.clear()]})

    def rent(self, dispatched_at, equipment=None, direction="out", **values):
        equipment = equipment or self.excavator
        line = self.Line.create({
            "equipment_id": equipment.id, "project_id": self.project.id, "cost_code_id": self.cc_concrete.id,
            "direction": direction, **self.Line._equipment_terms(equipment, direction), **values,
        })
        line.action_dispatch(dt(dispatched_at))
        return line

    def bill(self, period_end, user=None):
        """A billing run over this test's lines (the demo company has rentals of its own)."""
        Billing = self.Billing.with_user(user) if user else self.Billing
        lines = self.Line.search([("project_id", "in", (self.project | self.project_b).ids)])
        return Billing._run(dt(period_end), lines=lines.with_user(user) if user else lines)


@tagged("post_install", "-at_install")
class TestRentalBilling(RentalCase):
    def test_month_boundary_and_partial_days(self):
        line = self.rent("2026-10-20 15:00:00")
        self.assertEqual(line.partner_id, self.customer, "rented out: the project's customer")
        october = self.bill("2026-11-01 00:00:00")
        # 11 days 9 hours = 11.375 days, billed as 11.38 days (half-up) x 650.00
        self.assertEqual(october.amount, 7397.0)
        self.assertEqual((october.period_start, october.period_end),
                         (dt("2026-10-20 15:00:00"), dt("2026-11-01 00:00:00")))
        invoice = october.move_id
        self.assertEqual((invoice.move_type, invoice.partner_id, invoice.state),
                         ("out_invoice", self.customer, "draft"))
        self.assertEqual(invoice.amount_total, 7397.0)
        self.assertEqual(invoice.construction_project_id, self.project)
        self.assertEqual(october.billing_line_ids.move_line_id.analytic_distribution,
                         self.cc_concrete._analytic_distribution(self.project))
        line.action_return(dt("2026-11-05 09:00:00"))
        november = self.bill("2026-12-01 00:00:00")
        # The whole rental is 15.75 days = 10237.50: November bills 15.75 - 11.38 = 4.37 days
        self.assertEqual(november.amount, 2840.5)
        self.assertEqual(line.billed_amount, 10237.50)
        self.assertEqual(line.state, "invoiced")
        invoice.action_post()
        self.assertBalances(invoice, {"400000": -7397.0, "121000": 7397.0})

    def test_partial_day_rounds_the_quantity_then_the_amount(self):
        line = self.rent("2026-11-03 08:00:00", rate_day=333.33)
        line.action_return(dt("2026-11-03 18:00:00"))
        # 10 h = 0.41666.. day, shown and billed as 0.42 day: 0.42 x 333.33 = 139.9986, half-up to 140.00
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 140.0)

    def test_rerunning_never_bills_twice(self):
        line = self.rent("2026-10-20 15:00:00")
        first = self.bill("2026-11-01 00:00:00")
        self.assertEqual(len(first), 1)
        self.assertFalse(self.bill("2026-11-01 00:00:00"), "same period: nothing left to bill")
        self.bill("2026-12-01 00:00:00")
        self.assertFalse(self.bill("2026-11-15 00:00:00"), "an earlier moment than already billed is skipped")
        self.assertEqual(line.billed_amount, 650.0 * (11.38 + 30))
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.Billing.create({"line_id": line.id, "period_start": line.dispatched_at,
                                 "period_end": dt("2026-11-01 00:00:00")})

    def test_monthly_cron_bills_up_to_the_first_and_only_once(self):
        self.Billing._cron_bill()
        period_end = self.Billing._default_period_end()
        local = to_local(period_end, self.company)
        self.assertEqual((local.day, local.hour, local.minute), (1, 0, 0), "the 1st 00:00, company time")
        self.assertFalse(self.Billing._run(period_end))

    def test_deleting_the_draft_invoice_bills_again(self):
        line = self.rent("2026-11-01 00:00:00")
        billing = self.bill("2026-11-11 00:00:00")
        billing.move_id.unlink()
        self.assertFalse(line.billing_ids)
        again = self.bill("2026-11-11 00:00:00")
        self.assertEqual(again.amount, 6500.0)

    def test_downtime_over_the_threshold_pauses_billing(self):
        line = self.rent("2026-11-02 08:00:00")
        Downtime = self.env["construction.rental.downtime"]
        short = Downtime.create({
            "line_id": line.id, "start": dt("2026-11-03 10:00:00"), "end": dt("2026-11-03 13:00:00"),
            "reason": "Operator break"})
        breakdown = Downtime.create({
            "line_id": line.id, "start": dt("2026-11-05 08:00:00"), "end": dt("2026-11-06 20:00:00"),
            "reason": "Hydraulic hose", "breakdown": True})
        self.assertFalse(short.pauses_billing, "3 h is below the contract's 4 h")
        self.assertTrue(breakdown.pauses_billing)
        self.assertEqual(breakdown.maintenance_request_id.equipment_id, self.excavator)
        line.action_return(dt("2026-11-12 08:00:00"))
        # 10 days less 1.5 days of breakdown = 8.5 days
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 5525.0)

    def test_open_breakdown_pauses_until_the_machine_is_back(self):
        line = self.rent("2026-11-01 00:00:00")
        breakdown = self.env["construction.rental.downtime"].create({
            "line_id": line.id, "start": dt("2026-11-21 00:00:00"), "breakdown": True, "reason": "Engine"})
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 13000.0, "20 days, then down")
        request = breakdown.maintenance_request_id
        request.stage_id = self.env["maintenance.stage"].search([("done", "=", True)], limit=1)
        self.assertTrue(breakdown.end, "a done repair ends the downtime")
        breakdown.end = dt("2026-12-03 00:00:00")
        line.action_return(dt("2026-12-06 00:00:00"))
        self.assertEqual(self.bill("2027-01-01 00:00:00").amount, 1950.0, "3 more days after the repair")

    def test_late_downtime_becomes_a_credit(self):
        line = self.rent("2026-11-01 00:00:00")
        line.action_return(dt("2026-11-21 00:00:00"))
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 13000.0)
        self.assertEqual(line.state, "invoiced")
        self.env["construction.rental.downtime"].create({
            "line_id": line.id, "start": dt("2026-11-10 00:00:00"), "end": dt("2026-11-12 00:00:00"),
            "reason": "Storm"})
        self.assertEqual(line.state, "returned", "something is left to settle")
        credit = self.bill("2027-01-01 00:00:00")
        self.assertEqual(credit.amount, -1300.0)
        self.assertEqual((credit.move_id.move_type, credit.move_id.amount_total), ("out_refund", 1300.0))
        self.assertEqual(line.billed_amount, 11700.0)

    def test_transfer_has_no_gap_and_no_overlap(self):
        line = self.rent("2026-10-25 00:00:00")
        self.assertEqual(self.bill("2026-11-01 00:00:00").amount, 4550.0)
        successor = line.action_transfer(self.project_b, dt("2026-11-10 12:00:00"))
        self.assertEqual((line.state, line.returned_at), ("returned", dt("2026-11-10 12:00:00")))
        self.assertEqual((successor.state, successor.dispatched_at), ("dispatched", line.returned_at))
        self.assertEqual(successor.project_id, self.project_b)
        self.assertEqual(successor.cost_code_id, self.cc_concrete, "a company-wide code travels along")
        successor.action_return(dt("2026-11-20 00:00:00"))
        november = self.bill("2026-12-01 00:00:00")
        self.assertEqual(november.filtered(lambda b: b.line_id == line).amount, 6175.0)
        self.assertEqual(november.filtered(lambda b: b.line_id == successor).amount, 6175.0)
        # 26 days in all, billed once each
        self.assertEqual(line.billed_amount + successor.billed_amount, 26 * 650.0)
        self.assertEqual(november.move_id.mapped("construction_project_id"), self.project | self.project_b)

    def test_rate_change_splits_the_line(self):
        line = self.rent("2026-11-01 00:00:00")
        repriced = line.action_change_rates(dt("2026-11-11 00:00:00"), {"rate_day": 600.0})
        billings = self.bill("2026-12-01 00:00:00")
        self.assertEqual(billings.filtered(lambda b: b.line_id == line).amount, 6500.0)
        self.assertEqual(billings.filtered(lambda b: b.line_id == repriced).amount, 12000.0)
        self.assertEqual(len(billings.move_id), 1, "one invoice per customer and project")

    def test_cheapest_basis_caps_days_and_weeks(self):
        self.assertEqual(cheapest_cost(12.25, 650, 2600, 7800), 5200)  # 2 weeks beat 1 week + 5.25 days
        self.assertEqual(cheapest_cost(3, 650, 2600, 7800), 1950)
        self.assertEqual(cheapest_cost(40, 650, 2600, 7800), 12350)  # 1 month + 1 week + 3 days
        self.assertEqual(cheapest_cost(29, 650, 2600, 7800), 7800)  # capped at the month
        self.assertEqual(cheapest_cost(10, 650, 0, 0), 6500)  # no weekly or monthly rate
        self.assertEqual(cheapest_cost(0, 0, 2600, 7800), 0)
        self.assertEqual(cheapest_cost(10.5, 0, 2600, 0), 2600 + 3.5 * 2600 / 7)  # no day rate: weeks prorated

    def test_cheapest_basis_is_cumulative_across_periods(self):
        line = self.rent("2026-10-22 00:00:00", rate_basis="cheapest")
        self.assertEqual(self.bill("2026-11-01 00:00:00").amount, 4550.0)  # 10 days: 1 week + 3 days
        line.action_return(dt("2026-12-01 00:00:00"))
        # 40 days cost 12350 in all, so November adds 7800, not a fresh 30-day month
        self.assertEqual(self.bill("2026-12-01 00:00:00").amount, 7800.0)

    def test_hour_basis_bills_engine_hours_on_rent_and_fuel_always(self):
        line = self.rent("2026-11-02 07:00:00", rate_basis="hour", fuel_rate=1.85)
        Usage = self.env["construction.rental.usage"]
        Usage.create({"line_id": line.id, "reported_at": dt("2026-11-02 18:00:00"), "hours": 7.5, "fuel_liters": 120})
        Usage.create({"line_id": line.id, "reported_at": dt("2026-11-03 18:00:00"), "hours": 8.0})
        line.action_return(dt("2026-11-04 12:00:00"))
        after = Usage.create({"line_id": line.id, "reported_at": dt("2026-11-04 15:00:00"), "hours": 3.0,
                              "fuel_liters": 40})
        self.assertEqual(after.timing, "after_return")
        billing = self.bill("2026-12-01 00:00:00")
        self.assertEqual(billing.time_delta, 1472.5)  # 15.5 h at 95.00
        self.assertEqual(billing.charge_amount, 296.0)  # 160 l at 1.85
        self.assertEqual(
            [(ml.quantity, ml.product_uom_id.name, ml.price_unit, ml.price_subtotal)
             for ml in billing.billing_line_ids.move_line_id],
            [(15.5, "Hours", 95.0, 1472.5), (120.0, "L", 1.85, 222.0), (40.0, "L", 1.85, 74.0)])

    def test_damage_charge_after_final_billing_is_billed_next_run(self):
        line = self.rent("2026-11-01 00:00:00")
        line.action_return(dt("2026-11-03 00:00:00"))
        self.bill("2026-12-01 00:00:00")
        self.env["construction.rental.charge"].create({
            "line_id": line.id, "kind": "damage", "name": "Bent bucket tooth", "amount": 420.0,
            "date": dt("2026-12-02 10:00:00")})
        self.assertFalse(self.bill("2026-12-02 00:00:00"), "dated after that period end")
        self.assertEqual(self.bill("2027-01-01 00:00:00").amount, 420.0)
        self.assertEqual(line.state, "invoiced")

    def test_line_without_customer_waits_and_the_run_goes_on(self):
        orphan = self.rent("2026-11-01 00:00:00")
        orphan.write({"project_id": self.env["project.project"].create({"name": "No customer yet"}).id,
                      "partner_id": False})
        billed = self.rent("2026-11-01 00:00:00")
        billings = self.Billing._run(dt("2026-11-02 00:00:00"), lines=orphan | billed)
        self.assertEqual(billings.line_id, billed)
        self.assertIn("this rental has no customer", orphan.message_ids[0].body)
        self.assertEqual(orphan.unbilled_amount,
                         sum(values["amount"] for values in orphan._unbilled(fields.Datetime.now())))

    def test_rented_in_becomes_a_vendor_bill(self):
        line = self.rent("2026-11-01 00:00:00", equipment=self.loader, direction="in")
        self.assertEqual(line.partner_id, self.vendor)
        bill = self.bill("2026-11-08 00:00:00").move_id
        self.assertEqual((bill.move_type, bill.partner_id, bill.amount_total), ("in_invoice", self.vendor, 3360.0))

    def test_internal_charge_is_an_analytic_cost(self):
        line = self.rent("2026-11-01 00:00:00", direction="internal")
        line.action_return(dt("2026-11-06 00:00:00"))
        billing = self.bill("2026-12-01 00:00:00")
        self.assertFalse(billing.move_id)
        cost = billing.analytic_line_id
        self.assertEqual(cost.amount, -1550.0)  # 5 days at the 310.00 ownership cost
        self.assertEqual(cost.account_id, self.project.account_id)
        column = self.env["construction.cost.code"]._plan()._column_name()
        self.assertEqual(cost[column], self.cc_concrete.analytic_account_id)

    def test_utilization_per_equipment_and_month(self):
        line = self.rent("2026-10-20 15:00:00", equipment=self.loader, direction="in")
        line.action_return(dt("2026-11-05 09:00:00"))
        rows = self.env["construction.equipment.utilization"].search([("equipment_id", "=", self.loader.id)])
        self.assertEqual([(r.month.isoformat(), r.days_on_rent, r.days_in_month, r.utilization) for r in rows], [
            ("2026-11-01", 4.375, 30, 14.58),
            ("2026-10-01", 11.375, 31, 36.69),
        ])

    def test_state_rules(self):
        line = self.rent("2026-11-05 00:00:00")
        with self.assertRaisesRegex(UserError, "dispatched later"):
            line.action_return(dt("2026-11-04 00:00:00"))
        with self.assertRaisesRegex(UserError, "only a reservation can be cancelled"):
            line.action_cancel()
        with self.assertRaisesRegex(UserError, "was dispatched at"):
            line.action_transfer(self.project_b, dt("2026-11-05 00:00:00"))


@tagged("post_install", "-at_install")
class TestRentalAccess(RentalCase):
    def test_plain_users_see_no_rentals(self):
        line = self.rent("2026-11-01 00:00:00")
        with self.assertRaises(AccessError):
            line.with_user(self.user_plain).read(["name"])

    def test_construction_users_run_the_field_side_accountants_bill(self):
        line = self.Line.with_user(self.construction_user).create({
            "equipment_id": self.excavator.id, "project_id": self.project.id, "direction": "out", "rate_day": 650.0})
        line.action_dispatch(dt("2026-11-01 00:00:00"))
        with self.assertRaises(AccessError):
            self.bill("2026-11-02 00:00:00", user=self.construction_user)
        with self.assertRaises(AccessError):
            line.with_user(self.construction_user).unlink()
        billing = self.bill("2026-11-02 00:00:00", user=self.accountant)
        self.assertEqual(billing.amount, 650.0)
