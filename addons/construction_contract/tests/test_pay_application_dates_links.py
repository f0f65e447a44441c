from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase

from .test_pay_application_taxes import TaxedContractMixin


@tagged("post_install", "-at_install")
class TestPayApplicationDates(TaxedContractMixin, FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_vat_world()

    def test_invoice_dated_on_the_certification_date_period_kept(self):
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)], period_end="2026-09-30")
        app.action_certify()
        today = fields.Date.context_today(app)
        self.assertEqual(app.certified_date, today)
        app.action_create_invoice()
        self.assertEqual((app.invoice_id.invoice_date, app.invoice_id.date, app.invoice_date), (today, today, today))
        self.assertEqual(str(app.period_end), "2026-09-30")
        self.assertEqual(app.invoice_id.ref, "Pay Application 1, period to 2026-09-30")

    def test_the_accountant_picks_the_invoice_date(self):
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)], period_end="2026-09-30")
        app.action_certify()
        app.invoice_date = "2026-10-07"
        app.action_create_invoice()
        self.assertEqual((str(app.invoice_id.invoice_date), str(app.invoice_id.date)), ("2026-10-07", "2026-10-07"))
        with self.assertRaisesRegex(UserError, "it is invoiced"):
            app.action_reset_to_draft()

    def test_a_locked_period_is_refused_with_the_lock_named(self):
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)], period_end="2026-09-30")
        app.action_certify()
        self.company.sale_lock_date = "2026-10-31"
        app.invoice_date = "2026-10-15"
        message = (r"Cannot invoice .*Application 1 on 10/15/2026: the books are locked \(Sales Lock Date "
                   r"\(10/31/2026\)\)\. Set a later invoice date on the application\.")
        with self.assertRaisesRegex(UserError, message):
            app.action_create_invoice()
        self.assertEqual((app.state, app.invoice_id), ("certified", self.env["account.move"]))
        self.assertFalse(self.env["account.move"].search([("construction_pay_application_id", "=", app.id)]))
        app.invoice_date = "2026-11-02"
        app.action_create_invoice()
        self.assertEqual((app.state, str(app.invoice_id.date)), ("invoiced", "2026-11-02"))

    def test_the_tax_lock_date_refuses_a_taxed_invoice(self):
        self.taxed("billed")
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        app.action_certify()
        self.company.tax_lock_date = "2026-10-31"
        app.invoice_date = "2026-10-31"
        with self.assertRaisesRegex(UserError, r"on 10/31/2026: the books are locked \(Tax Return Lock Date"):
            app.action_create_invoice()


@tagged("post_install", "-at_install")
class TestPayApplicationLinks(TaxedContractMixin, FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_vat_world()

    def reverse(self, invoice, post=True, price_unit=None):
        """A credit note of `invoice` through the Credit Note button."""
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({"journal_id": invoice.journal_id.id, "date": invoice.invoice_date, "reason": "Wrong owner"})
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        if price_unit is not None:
            billed = credit_note.invoice_line_ids.filtered(lambda line: not line.construction_retention)
            billed[0].price_unit = price_unit
            credit_note.invoice_line_ids.filtered("construction_retention").unlink()
        if post:
            credit_note.action_post()
        return credit_note

    def test_the_invoice_carries_its_origin(self):
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        self.assertEqual(app.invoice_id.invoice_origin, "Application 1 / Lakeshore Library Renovation")
        self.assertEqual(app.invoice_id.construction_pay_application_id, app)
        second = self.application([(self.cc_concrete, 400000.0, 50000.0, 0.0)])
        self.Mapping.create({"system_id": self.system.id, "res_model": second._name, "res_id": second.id,
                             "external_id": "PA-100-2"})
        second.action_certify()
        second.action_create_invoice()
        self.assertEqual(second.invoice_id.invoice_origin, "PA-100-2 / Lakeshore Library Renovation")

    def test_a_credit_note_gives_the_application_back_to_certified(self):
        self.taxed("billed")
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        invoice = app.invoice_id
        credit_note = self.reverse(invoice, post=False)
        self.assertEqual(app.state, "invoiced", "a draft credit note changes nothing")
        credit_note.action_post()
        self.assertEqual((credit_note.amount_total, credit_note.construction_pay_application_id), (110000.0, app))
        self.assertEqual((app.state, app.invoice_id), ("certified", self.env["account.move"]))
        self.assertBalances(invoice + credit_note, {})
        # Certified again: it can be reset, corrected and invoiced anew.
        app.action_reset_to_draft()
        self.line(app, self.cc_concrete).work_completed_this_period = 90000.0
        app.action_certify()
        app.action_create_invoice()
        self.assertEqual((app.state, app.invoice_id.amount_total), ("invoiced", 99000.0))
        self.assertEqual(app.invoice_ids, invoice + credit_note + app.invoice_id)

    def test_a_partial_credit_note_leaves_the_application_invoiced(self):
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        credit_note = self.reverse(app.invoice_id, price_unit=1000.0)
        self.assertEqual((credit_note.amount_total, credit_note.construction_pay_application_id), (1000.0, app))
        self.assertEqual(app.state, "invoiced")

    def test_a_cancelled_invoice_gives_the_application_back_to_certified(self):
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        invoice = app.invoice_id
        invoice.button_draft()
        self.assertEqual(app.state, "invoiced", "reset to draft to be corrected and posted again")
        invoice.button_cancel()
        self.assertEqual((app.state, app.invoice_id), ("certified", self.env["account.move"]))

    def test_a_negative_payment_due_is_a_credit_note(self):
        self.taxed("billed")
        self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        # The owner's engineer finds 20 000 of the concrete was not in place at the end of September.
        correction = self.application([(self.cc_concrete, 400000.0, -20000.0, 0.0)], period_end="2026-10-31")
        self.assertEqual((correction.amount_this_period, correction.retainage_this_period,
                          correction.current_payment_due), (-20000.0, -2000.0, -18000.0))
        self.assertEqual((correction.amount_tax, correction.amount_due_incl_tax), (-4000.0, -22000.0))
        correction.action_certify()
        correction.action_create_invoice()
        credit_note = correction.invoice_id
        self.assertEqual((correction.state, credit_note.move_type, credit_note.state),
                         ("invoiced", "out_refund", "posted"))
        self.assertEqual((credit_note.amount_untaxed, credit_note.amount_tax, credit_note.amount_total),
                         (18000.0, 4000.0, 22000.0))
        self.assertEqual(credit_note.invoice_line_ids.filtered("construction_retention").construction_retention,
                         "released")
        self.assertBalances(credit_note, {"400000": 20000.0, "251900": 4000.0, "121500": -2000.0, "121000": -22000.0})
        self.assertEqual((correction.amount_tax, correction.amount_due_incl_tax), (-4000.0, -22000.0))

    def test_a_zero_payment_due_is_a_credit_note(self):
        self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        # 25 000 more work, and retainage raised to 28 % of 125 000 = 35 000: 25 000 more retained.
        second = self.application([(self.cc_concrete, 400000.0, 25000.0, 0.0)], retention_percent=28.0)
        self.assertEqual(second.current_payment_due, 0.0)
        second.action_certify()
        second.action_create_invoice()
        self.assertEqual((second.invoice_id.move_type, second.invoice_id.amount_total), ("out_refund", 0.0))
        self.assertBalances(second.invoice_id, {"400000": -25000.0, "121500": 25000.0})

    def test_nothing_billed_nothing_to_invoice(self):
        self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        second = self.application([(self.cc_concrete, 400000.0, 0.0, 0.0)])
        second.action_certify()
        with self.assertRaisesRegex(UserError, "bills nothing this period and changes no retainage"):
            second.action_create_invoice()

    def test_release_invoices_name_no_application(self):
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        release = self.release(amount=100.0)
        self.assertFalse(release.construction_pay_application_id)
        self.assertEqual(app.invoice_ids, app.invoice_id)
        self.assertEqual(release.invoice_line_ids.tax_ids, self.env["account.tax"])
        self.assertEqual(release.invoice_line_ids.mapped("price_unit"), [100.0])
