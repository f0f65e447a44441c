from odoo import Command
from odoo.tests import tagged

from .test_rental_billing import RentalCase, dt


@tagged("post_install", "-at_install")
class TestRentalInvoiceLines(RentalCase):
    """Rental invoices a customer can check with a calculator: every line is a quantity in its
    unit at a rate, and its subtotal is their product rounded half-up to the cent. The company
    keeps its books in Chicago time (CST, UTC-6, in November after Nov 1), so the invoices show
    moments in CST; the datetimes given here are UTC. Sales tax is 8.25% on rental time and fuel,
    none on damage."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.partner_id.tz = "America/Chicago"
        cls.company.tax_calculation_rounding_method = "round_per_line"
        cls.sales_tax = cls.env["account.tax"].create({
            "name": "Texas sales tax 8.25%", "amount": 8.25, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": cls.company.id,
        })
        cls.exempt_tax = cls.env["account.tax"].create({
            "name": "Exempt 0%", "amount": 0.0, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": cls.company.id,
        })
        ref = cls.env.ref
        (ref("construction_rental.product_rental_time") | ref("construction_rental.product_rental_fuel")).write(
            {"taxes_id": [Command.set(cls.sales_tax.ids)]})

    def assertCheckable(self, moves):
        """Every product line: quantity x rate = subtotal (half-up to the cent), as its billing line says."""
        lines = moves.invoice_line_ids.filtered(lambda ml: ml.display_type == "product")
        self.assertTrue(lines)
        for move_line in lines:
            billing_line = move_line.construction_rental_billing_line_ids
            self.assertEqual(len(billing_line), 1)
            self.assertEqual(self.currency.round(move_line.quantity * move_line.price_unit), move_line.price_subtotal,
                             move_line.name)
            sign = 1 if move_line.move_id.move_type in ("out_invoice", "in_invoice") else -1
            self.assertEqual(move_line.price_subtotal, sign * billing_line.amount, move_line.name)

    def rows(self, move):
        return [(ml.display_type, ml.name, ml.quantity, ml.product_uom_id.name or False, ml.price_unit,
                 ml.price_subtotal, ml.tax_ids.mapped("name"))
                for ml in move.invoice_line_ids.sorted("sequence")]

    def test_a_month_with_a_pause_a_transfer_fuel_and_damage_worked_by_hand(self):
        line = self.rent("2026-11-02 13:30:00", fuel_rate=1.85)  # 07:30 CST
        Usage = self.env["construction.rental.usage"]
        Usage.create({"line_id": line.id, "reported_at": dt("2026-11-03 18:00:00"), "hours": 8.0, "fuel_liters": 120})
        self.env["construction.rental.downtime"].create({
            "line_id": line.id, "start": dt("2026-11-09 14:00:00"), "end": dt("2026-11-11 02:00:00"),
            "reason": "Hydraulic hose burst", "breakdown": True})
        # 2 h waiting for a fitter: under the 4 h policy, on rent, not on the invoice.
        self.env["construction.rental.downtime"].create({
            "line_id": line.id, "start": dt("2026-11-05 15:00:00"), "end": dt("2026-11-05 17:00:00"),
            "reason": "Waiting for a fitter"})
        successor = line.action_transfer(self.project_b, dt("2026-11-16 18:00:00"))  # 12:00 CST
        Usage.create({"line_id": successor.id, "reported_at": dt("2026-11-20 18:00:00"), "hours": 6.0,
                      "fuel_liters": 95.5})
        self.env["construction.rental.charge"].create({
            "line_id": successor.id, "kind": "damage", "name": "Bent bucket tooth", "quantity": 1,
            "price_unit": 420.0, "date": dt("2026-11-28 22:45:00")})
        successor.action_return(dt("2026-11-28 22:45:00"))  # 16:45 CST

        # December 1st 00:00 in Chicago is 06:00 UTC.
        billings = self.bill("2026-12-01 06:00:00")
        first = billings.filtered(lambda b: b.line_id == line)
        second = billings.filtered(lambda b: b.line_id == successor)
        self.assertEqual(len(billings.move_id), 2, "one invoice per project")
        self.assertCheckable(billings.move_id)

        # Lakeshore: Nov 2 13:30 to Nov 16 18:00 UTC is 14 days 4.5 h = 14.1875 days, shown 14.19.
        # The breakdown Nov 9 14:00 to Nov 11 02:00 is 36 h = 1.50 days. 120 l of fuel at 1.85.
        #   14.19 x 650.00 = 9223.50;  -1.50 x 650.00 = -975.00;  120.00 x 1.85 = 222.00;  = 8470.50
        # Tax 8.25% per line: 760.94 - 80.44 + 18.32 = 698.82
        invoice = first.move_id
        self.assertEqual(self.rows(invoice), [
            ("line_section", "CAT 320 Excavator %s on Lakeshore Library Renovation" % line.name, 0.0, False, 0.0, 0.0,
             []),
            ("product", "CAT 320 Excavator %s\nOn rent 2026-11-02 07:30 CST (dispatch) to 2026-11-16 12:00 CST "
                        "(transfer to Cedar Ridge Elementary School)" % line.name,
             14.19, "Days", 650.0, 9223.5, ["Texas sales tax 8.25%"]),
            ("product", "CAT 320 Excavator %s\nPaused 2026-11-09 08:00 CST to 2026-11-10 20:00 CST: "
                        "Hydraulic hose burst (breakdown)" % line.name,
             -1.5, "Days", 650.0, -975.0, ["Texas sales tax 8.25%"]),
            ("product", "CAT 320 Excavator: Fuel surcharge: 120 l, 2026-11-03 12:00 CST",
             120.0, "L", 1.85, 222.0, ["Texas sales tax 8.25%"]),
        ])
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
                         (8470.5, 698.82, 9169.32))
        self.assertEqual((first.time_delta, first.charge_amount, first.amount), (8248.5, 222.0, 8470.5))

        # Cedar Ridge: Nov 16 18:00 to Nov 28 22:45 UTC is 12 days 4.75 h = 12.1979 days, shown 12.20.
        #   12.20 x 650.00 = 7930.00;  95.50 x 1.85 = 176.675, half-up 176.68;  1.00 x 420.00;  = 8526.68
        # Tax 8.25% on time and fuel, per line: 654.225 -> 654.23 and 14.5761 -> 14.58 = 668.81; none on damage
        invoice = second.move_id
        self.assertEqual(self.rows(invoice), [
            ("line_section", "CAT 320 Excavator %s on Cedar Ridge Elementary School" % successor.name, 0.0, False,
             0.0, 0.0, []),
            ("product", "CAT 320 Excavator %s\nOn rent 2026-11-16 12:00 CST (transfer from Lakeshore Library "
                        "Renovation) to 2026-11-28 16:45 CST (return)" % successor.name,
             12.2, "Days", 650.0, 7930.0, ["Texas sales tax 8.25%"]),
            ("product", "CAT 320 Excavator: Fuel surcharge: 95.5 l, 2026-11-20 12:00 CST",
             95.5, "L", 1.85, 176.68, ["Texas sales tax 8.25%"]),
            ("product", "CAT 320 Excavator: Bent bucket tooth, 2026-11-28 16:45 CST", 1.0, "Units", 420.0, 420.0, []),
        ])
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
                         (8526.68, 668.81, 9195.49))

        for invoice in billings.move_id:
            self.assertEqual(invoice.invoice_date.isoformat(), "2026-11-30", "the period's last day, Chicago time")
            self.assertEqual(invoice.ref, "Equipment rental to 2026-12-01 00:00 CST")
        self.assertEqual((line.state, successor.state), ("invoiced", "invoiced"))

    def test_a_late_downtime_is_a_credit_line_of_its_own(self):
        line = self.rent("2026-11-02 06:00:00")
        line.action_return(dt("2026-11-12 06:00:00"))
        self.assertEqual(self.bill("2026-12-01 06:00:00").amount, 6500.0)
        self.env["construction.rental.downtime"].create({
            "line_id": line.id, "start": dt("2026-11-05 12:00:00"), "end": dt("2026-11-05 18:00:00"),
            "reason": "Storm"})
        credit = self.bill("2027-01-01 06:00:00")
        self.assertEqual(credit.move_id.move_type, "out_refund")
        self.assertCheckable(credit.move_id)
        # 6 h = 0.25 day: a refund of 0.25 x 650.00 = 162.50 plus its tax
        self.assertEqual(self.rows(credit.move_id)[1:], [
            ("product", "CAT 320 Excavator %s\nPaused 2026-11-05 06:00 CST to 2026-11-05 12:00 CST: Storm" % line.name,
             0.25, "Days", 650.0, 162.5, ["Texas sales tax 8.25%"]),
        ])
        self.assertEqual(credit.move_id.amount_total, 175.91)  # 162.50 + 13.40625 -> 13.41

    def test_week_basis_bills_weeks_to_the_hundredth(self):
        line = self.rent("2026-11-02 06:00:00", rate_basis="week")
        line.action_return(dt("2026-11-12 06:00:00"))
        billing = self.bill("2026-12-01 06:00:00")
        # 10 days = 1.428571 weeks, shown and billed as 1.43 weeks x 2600.00 = 3718.00
        self.assertEqual(self.rows(billing.move_id)[1][2:6], (1.43, "Weeks", 2600.0, 3718.0))
        self.assertCheckable(billing.move_id)

    def test_cheapest_basis_shows_each_unit_and_credits_days_that_became_a_week(self):
        line = self.rent("2026-10-29 05:00:00", rate_basis="cheapest")  # Oct 29 00:00 CDT
        october = self.bill("2026-11-01 05:00:00")  # Nov 1 00:00 CDT
        self.assertEqual(october.amount, 1950.0, "3 days")
        line.action_return(dt("2026-11-10 05:00:00"))  # Nov 9 23:00 CST: 12 days in all (DST ended Nov 1)
        november = self.bill("2026-12-01 06:00:00")
        # 12 days: 1 week + 5 days would cost 2600 + 3250 = 5850; 2 weeks cost 5200. The 3 days
        # billed in October are credited and 2 weeks billed: 5200.00 - 1950.00 = 3250.00.
        self.assertEqual(november.amount, 3250.0)
        rows = self.rows(november.move_id)
        self.assertEqual([row[2:6] for row in rows[1:]],
                         [(2.0, "Weeks", 2600.0, 5200.0), (-3.0, "Days", 650.0, -1950.0)])
        self.assertIn("12.00 days on rent since the dispatch\n= 12.00 days, at the cheapest rates 2.00 weeks",
                      rows[1][1])
        self.assertCheckable(november.move_id)
        self.assertEqual(line.billed_amount, 5200.0)

    def test_customer_fiscal_position_maps_the_product_taxes(self):
        exempt = self.env["account.fiscal.position"].create({
            "name": "Tax exempt (school district)", "company_id": self.company.id,
            "tax_ids": [Command.create({"tax_src_id": self.sales_tax.id, "tax_dest_id": self.exempt_tax.id})],
        })
        self.customer.with_company(self.company).property_account_position_id = exempt
        line = self.rent("2026-11-02 06:00:00")
        line.action_return(dt("2026-11-04 06:00:00"))
        invoice = self.bill("2026-12-01 06:00:00").move_id
        self.assertEqual(invoice.fiscal_position_id, exempt)
        self.assertEqual(invoice.invoice_line_ids.tax_ids, self.exempt_tax)
        self.assertEqual((invoice.amount_untaxed, invoice.amount_total), (1300.0, 1300.0))

    def test_project_billing_taxes_win_over_the_products(self):
        if "construction_tax_ids" not in self.project._fields:
            self.skipTest("construction_base has no project billing taxes")
        contract_tax = self.env["account.tax"].create({
            "name": "City rental tax 2%", "amount": 2.0, "amount_type": "percent", "type_tax_use": "sale",
            "company_id": self.company.id})
        self.project.construction_tax_ids = contract_tax
        line = self.rent("2026-11-02 06:00:00", fuel_rate=2.0)
        self.env["construction.rental.usage"].create({"line_id": line.id, "reported_at": dt("2026-11-02 18:00:00"),
                                                      "fuel_liters": 50})
        line.action_return(dt("2026-11-03 06:00:00"))
        invoice = self.bill("2026-12-01 06:00:00").move_id
        self.assertEqual(invoice.invoice_line_ids.tax_ids, contract_tax)
        # 650.00 + 100.00 at 2%
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax), (750.0, 15.0))

    def test_rented_in_bills_at_the_vendor_taxes(self):
        purchase_tax = self.env["account.tax"].create({
            "name": "Use tax 6.25%", "amount": 6.25, "amount_type": "percent", "type_tax_use": "purchase",
            "company_id": self.company.id})
        self.env.ref("construction_rental.product_rental_time").supplier_taxes_id = purchase_tax
        line = self.rent("2026-11-02 06:00:00", equipment=self.loader, direction="in")
        line.action_return(dt("2026-11-09 06:00:00"))
        bill = self.bill("2026-12-01 06:00:00").move_id
        self.assertEqual(bill.move_type, "in_invoice")
        self.assertEqual(self.rows(bill)[1][2:7], (7.0, "Days", 480.0, 3360.0, ["Use tax 6.25%"]))
        self.assertEqual(bill.amount_total, 3570.0)  # 3360.00 + 210.00
        self.assertCheckable(bill)

    def test_deleting_one_invoice_line_bills_it_again(self):
        line = self.rent("2026-11-02 06:00:00")
        damage = self.env["construction.rental.charge"].create({
            "line_id": line.id, "kind": "damage", "name": "Cracked window", "amount": 310.0,
            "date": dt("2026-11-05 06:00:00")})
        self.assertEqual((damage.quantity, damage.price_unit, damage.amount), (1.0, 310.0, 310.0))
        billing = self.bill("2026-11-12 06:00:00")
        self.assertEqual(billing.amount, 6810.0)
        damage_line = billing.move_id.invoice_line_ids.filtered(lambda ml: ml.product_id == damage._product())
        billing.move_id.invoice_line_ids = [Command.delete(damage_line.id)]
        self.assertFalse(damage.billing_id, "the disputed damage is unbilled again")
        self.assertEqual(billing.amount, 6500.0)
        self.assertEqual(self.bill("2026-11-13 06:00:00").mapped("billing_line_ids.amount"), [650.0, 310.0])
