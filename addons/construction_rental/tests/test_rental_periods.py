from freezegun import freeze_time

from odoo.tests import tagged

from .test_rental_billing import RentalCase, dt


@tagged("post_install", "-at_install")
class TestRentalPeriods(RentalCase):
    """Billing periods end at midnight in the company's time zone (its contact's), whoever runs
    the billing and wherever they are. The company bills from Chicago: CDT (UTC-5) until Nov 1,
    2026 02:00, CST (UTC-6) after."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.construction_tz = "America/Chicago"
        cls.Wizard = cls.env["construction.rental.billing.wizard"]

    def test_the_company_time_zone_is_its_contacts(self):
        self.assertEqual(self.company.partner_id.tz, "America/Chicago")

    def test_default_period_end_is_the_first_at_midnight_company_time(self):
        with freeze_time("2026-12-15 10:00:00"):
            self.assertEqual(self.Billing._default_period_end(), dt("2026-12-01 06:00:00"), "Dec 1 00:00 CST")
        with freeze_time("2026-12-01 03:00:00"):
            # Still Nov 30, 21:00, in Chicago: this month began on Nov 1 00:00, before DST ended.
            self.assertEqual(self.Billing._default_period_end(), dt("2026-11-01 05:00:00"), "Nov 1 00:00 CDT")
        self.company.construction_tz = False
        with freeze_time("2026-12-01 03:00:00"):
            self.assertEqual(self.Billing._default_period_end(), dt("2026-12-01 00:00:00"), "UTC without a time zone")

    def test_monthly_cron_bills_to_midnight_company_time(self):
        line = self.rent("2026-11-02 06:00:00")  # Nov 2 00:00 CST
        # The cron's first call is on the 1st at 12:00 UTC, 06:00 in Chicago.
        with freeze_time("2026-12-01 12:00:00"):
            self.Billing._cron_bill()
        self.assertEqual(line.billing_ids.period_end, dt("2026-12-01 06:00:00"))
        self.assertEqual(line.billing_ids.amount, 29 * 650.0, "Nov 2 to Dec 1, midnight to midnight")
        self.assertEqual(line.billing_ids.move_id.invoice_date.isoformat(), "2026-11-30")
        self.assertEqual(self.env.ref("construction_rental.ir_cron_rental_billing").nextcall.hour, 12)

    def test_wizard_reads_the_moment_in_the_company_time_zone_not_the_users(self):
        line = self.rent("2026-11-02 06:00:00")
        tokyo = self.finance_manager
        tokyo.tz = "Asia/Tokyo"
        with freeze_time("2026-12-03 09:00:00"):
            wizard = self.Wizard.with_user(tokyo).with_context(tz="Asia/Tokyo").create({})
        # The default: the first of this month in Chicago, whatever the user's zone.
        self.assertEqual((wizard.period_end_date.isoformat(), wizard.period_end_time), ("2026-12-01", 0.0))
        self.assertEqual(wizard.period_end, dt("2026-12-01 06:00:00"))
        self.assertEqual(wizard.company_tz, "America/Chicago")
        self.assertEqual(wizard.period_end_summary, "2026-12-01 00:00 CST, which is 2026-12-01 06:00:00 UTC")
        wizard.write({"period_end_date": "2026-11-16", "period_end_time": 12.5})  # 12:30 CST
        self.assertEqual(wizard.period_end, dt("2026-11-16 18:30:00"))
        action = wizard.action_run()
        billing = self.Billing.search(action["domain"]).filtered(lambda b: b.line_id == line)
        # Nov 2 06:00 to Nov 16 18:30 UTC: 14 days 12.5 h = 14.5208 days, billed as 14.52 x 650.00
        self.assertEqual((billing.period_end, billing.amount), (dt("2026-11-16 18:30:00"), 9438.0))

    def test_a_us_user_bills_a_utc_company_to_its_midnight(self):
        # The case: for a company in UTC, a New York user's "Dec 1 00:00" used to bill to
        # 05:00 UTC. The date and the time of day are the company's now.
        self.company.construction_tz = False
        new_york = self.finance_manager
        new_york.tz = "America/New_York"
        wizard = self.Wizard.with_user(new_york).with_context(tz="America/New_York").create(
            {"period_end_date": "2026-12-01", "period_end_time": 0.0})
        self.assertEqual(wizard.period_end, dt("2026-12-01 00:00:00"))
        self.assertEqual(wizard.period_end_summary, "2026-12-01 00:00 UTC, which is 2026-12-01 00:00:00 UTC")

    def test_invoices_show_moments_in_company_time(self):
        line = self.rent("2026-10-31 18:00:00")  # Oct 31 13:00 CDT
        line.action_return(dt("2026-11-03 18:00:00"))  # Nov 3 12:00 CST
        billing = self.bill("2026-12-01 06:00:00")
        rent = billing.billing_line_ids
        self.assertEqual(rent.name, "CAT 320 Excavator %s\nOn rent 2026-10-31 13:00 CDT (dispatch) to "
                                    "2026-11-03 12:00 CST (return)" % line.name)
        self.assertEqual((rent.quantity, rent.amount), (3.0, 1950.0), "3 days of 24 h, whatever the clocks did")
