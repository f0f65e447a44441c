import re

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from odoo.addons.construction_base.tests.common import FinanceCase, FinanceWorldMixin, SyncHttpCase


class PayApplicationMixin:
    def application(self, lines, number=None, period_end="2026-09-30", **values):
        """`lines`: [(cost_code, scheduled value, work this period, materials stored)]."""
        return self.env["construction.pay.application"].create({
            "project_id": self.project.id, "period_end": period_end,
            **({"number": number} if number else {}), **values,
            "line_ids": [Command.create({"cost_code_id": code.id, "scheduled_value": scheduled,
                                         "work_completed_this_period": work, "materials_stored": stored})
                         for code, scheduled, work, stored in lines],
        })

    def line(self, application, cost_code):
        return application.line_ids.filtered(lambda line: line.cost_code_id == cost_code)

    def progress(self, application, cost_code, work, stored=0.0):
        self.line(application, cost_code).write({"work_completed_this_period": work, "materials_stored": stored})


@tagged("post_install", "-at_install")
class TestPayApplication(PayApplicationMixin, FinanceCase):
    def test_g702_and_g703_amounts(self):
        app = self.application([
            (self.cc_concrete, 400000.0, 120000.0, 0.0),
            (self.cc_masonry, 250000.0, 30000.0, 20000.0),
            (self.cc_project_only, 50000.0, 10000.0, 0.0),
        ], materials_retention_percent=5.0)
        self.assertEqual((app.number, app.retention_percent, app.partner_id), (1, 10.0, self.customer))
        masonry = self.line(app, self.cc_masonry)
        self.assertEqual(
            (masonry.previous_work_completed, masonry.total_completed_stored, masonry.percent_complete,
             masonry.balance_to_finish, masonry.retainage_work, masonry.retainage_stored, masonry.retainage),
            (0.0, 50000.0, 20.0, 200000.0, 3000.0, 1000.0, 4000.0),
        )
        self.assertEqual(self.line(app, self.cc_concrete).percent_complete, 30.0)
        self.assertEqual(
            {name: app[name] for name in (
                "original_contract_sum", "change_order_total", "contract_sum_to_date", "total_completed_stored",
                "retainage_work", "retainage_stored", "retainage_total", "total_earned_less_retainage",
                "previous_certificates", "current_payment_due", "balance_to_finish", "amount_this_period")},
            {"original_contract_sum": 1000000.0, "change_order_total": 0.0, "contract_sum_to_date": 1000000.0,
             "total_completed_stored": 180000.0, "retainage_work": 16000.0, "retainage_stored": 1000.0,
             "retainage_total": 17000.0, "total_earned_less_retainage": 163000.0, "previous_certificates": 0.0,
             "current_payment_due": 163000.0, "balance_to_finish": 837000.0, "amount_this_period": 180000.0},
        )

    def test_retainage_is_rounded_per_line_then_summed(self):
        app = self.application([
            (self.cc_concrete, 1000.0, 333.35, 0.0),
            (self.cc_masonry, 1000.0, 333.35, 333.33),
            (self.cc_project_only, 1000.0, 333.35, 0.0),
        ], materials_retention_percent=5.0)
        # 33.335 per line rounds half-up to 33.34; three lines make 100.02 (100.005 on the total
        # would have made 100.01). Stored: 5 % of 333.33 = 16.6665 -> 16.67.
        self.assertEqual(self.line(app, self.cc_concrete).retainage_work, 33.34)
        self.assertEqual((app.retainage_work, app.retainage_stored, app.retainage_total), (100.02, 16.67, 116.69))
        self.assertEqual(app.total_completed_stored, 1333.38)
        self.assertEqual(app.total_earned_less_retainage, 1216.69)
        self.assertEqual(app.current_payment_due, 1216.69)

    def test_previous_figures_carry_forward_and_installed_materials_move_to_work(self):
        first = self.application([
            (self.cc_concrete, 400000.0, 100000.0, 0.0),
            (self.cc_masonry, 250000.0, 30000.0, 20000.0),
        ], materials_retention_percent=5.0)
        first.action_certify()
        self.assertEqual((first.total_earned_less_retainage, first.retainage_total), (136000.0, 14000.0))
        # The 20 000 of stored block is laid in October: it moves from F into E.
        second = self.application([(self.cc_masonry, 250000.0, 35000.0, 5000.0)], period_end="2026-10-31",
                                  materials_retention_percent=5.0)
        self.assertEqual(second.number, 2)
        concrete = self.line(second, self.cc_concrete)
        self.assertEqual((concrete.scheduled_value, concrete.previous_work_completed, concrete.total_completed_stored),
                         (400000.0, 100000.0, 100000.0), "a code billed before keeps its line")
        masonry = self.line(second, self.cc_masonry)
        self.assertEqual(
            (masonry.previous_work_completed, masonry.previous_materials_stored, masonry.total_completed_stored,
             masonry.amount_this_period, masonry.retainage_work, masonry.retainage_stored),
            (30000.0, 20000.0, 70000.0, 20000.0, 6500.0, 250.0),
        )
        self.assertEqual(
            (second.total_completed_stored, second.retainage_total, second.total_earned_less_retainage,
             second.previous_certificates, second.current_payment_due, second.amount_this_period,
             second.retainage_this_period),
            (170000.0, 16750.0, 153250.0, 136000.0, 17250.0, 20000.0, 2750.0),
        )

    def test_cancelled_applications_are_not_carried_forward(self):
        first = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        first.action_certify()
        second = self.application([(self.cc_concrete, 400000.0, 50000.0, 0.0)])
        second.action_certify()
        with self.assertRaisesRegex(UserError, "carries its figures forward"):
            first.action_cancel()
        second.action_cancel()
        third = self.application([(self.cc_concrete, 400000.0, 70000.0, 0.0)])
        self.assertEqual(third.number, 3)
        self.assertEqual(self.line(third, self.cc_concrete).previous_work_completed, 100000.0)
        self.assertEqual(third.previous_certificates, 90000.0)

    def test_completed_beyond_the_scheduled_value_is_refused(self):
        with self.assertRaisesRegex(UserError, r"exceeds the scheduled value"), self.env.cr.savepoint():
            self.application([(self.cc_masonry, 250000.0, 240000.0, 10000.01)])
        first = self.application([(self.cc_masonry, 250000.0, 240000.0, 10000.0)])
        first.action_certify()
        message = re.escape(self.cc_masonry.display_name) + r" on .*Application 2: .* \(\$\s250,000.01\) exceeds"
        with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
            self.application([(self.cc_masonry, 250000.0, 0.01, 10000.0)])

    def test_certification_order_and_frozen_documents(self):
        first = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        second = self.application([(self.cc_concrete, 400000.0, 50000.0, 0.0)])
        with self.assertRaisesRegex(UserError, "Certify .*Application 1 first"):
            second.action_certify()
        first.action_certify()
        with self.assertRaisesRegex(UserError, "it is certified"):
            self.line(first, self.cc_concrete).work_completed_this_period = 1.0
        # The second was created while the first was a draft: certifying refreshes its figures.
        first.action_reset_to_draft()
        self.line(first, self.cc_concrete).work_completed_this_period = 120000.0
        first.action_certify()
        second.action_certify()
        self.assertEqual(self.line(second, self.cc_concrete).previous_work_completed, 120000.0)
        self.assertEqual(second.previous_certificates, 108000.0)

    def test_certified_documents_are_frozen_and_certified_in_order(self):
        first = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        with self.assertRaisesRegex(UserError, "Cannot change .*: it is certified"):
            first.action_certify()
            first.period_end = "2026-10-01"
        self.assertEqual(first.state, "certified")
        with self.assertRaisesRegex(UserError, "it is certified"):
            first.retention_percent = 5.0
        # A late arrival with a lower number would be missing from the later one's figures.
        third = self.application([(self.cc_concrete, 400000.0, 5000.0, 0.0)], number=3)
        third.action_certify()
        second = self.application([(self.cc_concrete, 400000.0, 1000.0, 0.0)], number=2)
        with self.assertRaisesRegex(UserError, "Cannot certify .*Application 2: the later .*Application 3 is already"):
            second.action_certify()

    def test_number_is_unique_per_project(self):
        self.application([(self.cc_concrete, 1000.0, 0.0, 0.0)], number=4)
        self.assertEqual(self.application([(self.cc_concrete, 1000.0, 0.0, 0.0)]).number, 5)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            self.application([(self.cc_concrete, 1000.0, 0.0, 0.0)], number=4)

    def test_change_orders_are_read_from_the_revised_contract_value_when_known(self):
        app = self.application([(self.cc_concrete, 1000.0, 0.0, 0.0)])
        expected = 0.0
        if "revised_contract_value" in self.project._fields:
            expected = self.project.revised_contract_value - self.project.original_contract_value
        self.assertEqual(app.change_order_total, expected)


@tagged("post_install", "-at_install")
class TestPayApplicationInvoice(PayApplicationMixin, FinanceCase):
    def test_invoices_post_billing_and_retention_changes(self):
        first = self.application([
            (self.cc_concrete, 400000.0, 100000.0, 0.0),
            (self.cc_masonry, 250000.0, 30000.0, 20000.0),
        ], materials_retention_percent=5.0)
        first.action_certify()
        first.action_create_invoice()
        invoice = first.invoice_id
        self.assertEqual((first.state, invoice.state, invoice.move_type), ("invoiced", "posted", "out_invoice"))
        self.assertEqual((invoice.partner_id, invoice.construction_project_id), (self.customer, self.project))
        self.assertEqual(invoice.amount_total, 136000.0)
        self.assertBalances(invoice, {"400000": -150000.0, "121500": 14000.0, "121000": 136000.0})
        concrete_line = invoice.invoice_line_ids.filtered(lambda line: line.price_unit == 100000.0)
        self.assertEqual(concrete_line.analytic_distribution, self.cc_concrete._analytic_distribution(self.project))
        self.assertEqual(invoice.retention_amount, 14000.0)

        second = self.application([(self.cc_masonry, 250000.0, 35000.0, 5000.0)], period_end="2026-10-31",
                                  materials_retention_percent=5.0)
        second.action_certify()
        second.action_create_invoice()
        invoice = second.invoice_id
        # Work retainage grows by 3 500; retainage on stored block falls by 750 as it is
        # installed: still withheld, it moved from one column to the other.
        retention = invoice.invoice_line_ids.filtered("construction_retention")
        self.assertEqual(sorted(retention.mapped(lambda line: (line.construction_retention, line.price_subtotal))),
                         [("withheld", -3500.0), ("withheld", 750.0)])
        self.assertBalances(invoice, {"400000": -20000.0, "121500": 2750.0, "121000": 17250.0})
        self.assertEqual(invoice.amount_total, second.current_payment_due)
        with self.assertRaisesRegex(UserError, "it is invoiced"):
            second.action_cancel()

    def test_a_reduced_retainage_rate_releases_retention(self):
        first = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        first.action_certify()
        first.action_create_invoice()
        # Half way, the owner agrees to hold 5 % instead of 10 % on all work to date.
        second = self.application([(self.cc_concrete, 400000.0, 50000.0, 0.0)], retention_percent=5.0)
        second.action_certify()
        second.action_create_invoice()
        self.assertEqual((second.retainage_total, second.retainage_this_period, second.current_payment_due),
                         (7500.0, -2500.0, 52500.0))
        retention = second.invoice_id.invoice_line_ids.filtered("construction_retention")
        self.assertEqual((retention.construction_retention, retention.price_subtotal), ("released", 2500.0))
        self.assertBalances(second.invoice_id, {"400000": -50000.0, "121500": -2500.0, "121000": 52500.0})

    def test_only_certified_applications_are_invoiced(self):
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        with self.assertRaisesRegex(UserError, "Cannot invoice .* it is draft"):
            app.action_create_invoice()

    def test_report_renders_the_g702_and_g703(self):
        app = self.application([
            (self.cc_concrete, 400000.0, 120000.0, 0.0),
            (self.cc_masonry, 250000.0, 30000.0, 20000.0),
        ], materials_retention_percent=5.0)
        html = self.env["ir.actions.report"]._render_qweb_html(
            "construction_contract.report_pay_application", app.ids)[0].decode()
        for amount in ("1,000,000.00", "170,000.00", "15,000.00", "1,000.00", "154,000.00", "846,000.00",
                       "Unit Masonry", self.cc_masonry.code, "400,000.00", "280,000.00"):
            self.assertIn(amount, html)
        self.assertIn("Current Payment Due", html)


@tagged("post_install", "-at_install")
class TestPayApplicationPdf(PayApplicationMixin, FinanceWorldMixin, SyncHttpCase):
    """The printed G702/G703 through wkhtmltopdf, which fetches the report's styles from the
    running server (hence an HttpCase)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_finance_world()

    def test_pdf_is_printed(self):
        app = self.application([(self.cc_concrete, 400000.0, 120000.0, 0.0)])
        pdf, kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "construction_contract.report_pay_application", app.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF-"), pdf[:40])


@tagged("post_install", "-at_install")
class TestPayApplicationAccess(PayApplicationMixin, FinanceCase):
    def test_users_prepare_drafts_managers_certify_and_invoice(self):
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        as_user = app.with_user(self.accountant)
        as_user.line_ids.work_completed_this_period = 90000.0
        self.assertEqual(as_user.current_payment_due, 81000.0)
        with self.assertRaises(AccessError):
            as_user.action_certify()
        with self.assertRaises(AccessError):
            as_user.unlink()
        as_manager = app.with_user(self.finance_manager)
        as_manager.action_certify()
        as_manager.action_create_invoice()
        self.assertEqual(app.invoice_id.amount_total, 81000.0)

    def test_plain_users_see_no_pay_applications(self):
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        with self.assertRaises(AccessError):
            app.with_user(self.user_plain).read(["current_payment_due"])
