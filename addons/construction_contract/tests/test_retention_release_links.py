from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase

from .test_pay_application_taxes import TaxedContractMixin


@tagged("post_install", "-at_install")
class TestRetentionReleaseLinks(TaxedContractMixin, FinanceCase):
    """A release names the invoices or bills whose retention it releases, oldest first: two pay
    applications withhold 10 000.00 (October invoice) and 5 000.00 (November invoice)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_vat_world()

    def setUp(self):
        super().setUp()
        first = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)], invoice_date="2026-10-06")
        second = self.invoiced([(self.cc_concrete, 400000.0, 50000.0, 0.0)], period_end="2026-10-31",
                               invoice_date="2026-11-05")
        self.first, self.second = first.invoice_id, second.invoice_id

    def named(self, move):
        return "Retention released: %s (%s)" % (move.name, move.ref)

    def parts(self, release):
        return [(line.construction_retention_source_id, line.name, line.price_subtotal)
                for line in release.invoice_line_ids.sorted("id")]

    def test_a_release_names_its_invoices_oldest_first(self):
        release = self.release(amount=12000.0)
        self.assertEqual(self.parts(release), [
            (self.first, self.named(self.first), 10000.0),
            (self.second, self.named(self.second), 2000.0),
        ])
        self.assertEqual(release.construction_retention_source_ids, self.first + self.second)
        self.assertEqual(release.invoice_origin, "%s, %s" % (self.first.name, self.second.name))
        self.assertBalances(release, {"121500": -12000.0, "121000": 12000.0})
        final = self.release()
        self.assertEqual(self.parts(final), [(self.second, self.named(self.second), 3000.0)])
        with self.assertRaisesRegex(UserError, "Nothing to release"):
            self.release()

    def test_the_wizard_shows_what_it_releases(self):
        wizard = self.env["construction.retention.release.wizard"].create({
            "project_id": self.project.id, "partner_id": self.customer.id, "side": "receivable",
            "release_all": False, "amount": 10000.01,
        })
        self.assertEqual(wizard.source_summary, "%s: %s\n%s: %s" % (
            self.first.display_name, self.currency.format(10000.0),
            self.second.display_name, self.currency.format(0.01),
        ))

    def test_a_credit_note_takes_its_invoice_out_of_the_sources(self):
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=self.first.ids,
        ).create({"journal_id": self.first.journal_id.id, "date": "2026-11-10"})
        self.env["account.move"].browse(reversal.refund_moves()["res_id"]).action_post()
        release = self.release()
        self.assertEqual(self.parts(release), [(self.second, self.named(self.second), 5000.0)])

    def test_retention_given_back_without_a_name_is_taken_from_the_oldest(self):
        # A manual entry (or a release posted before releases named their sources) gives 4 000 back.
        retention_account = self.company.retention_receivable_account_id
        receivable = self.first.line_ids.filtered(
            lambda line: line.account_id.account_type == "asset_receivable").account_id
        entry = self.env["account.move"].create({
            "move_type": "entry", "date": "2026-11-12", "construction_project_id": self.project.id,
            "line_ids": [
                Command.create({"account_id": retention_account.id, "partner_id": self.customer.id, "credit": 4000.0}),
                Command.create({"account_id": receivable.id, "partner_id": self.customer.id, "debit": 4000.0}),
            ],
        })
        entry.action_post()
        release = self.release(amount=8000.0)
        self.assertEqual(self.parts(release), [
            (self.first, self.named(self.first), 6000.0),
            (self.second, self.named(self.second), 2000.0),
        ])

    def test_a_reversed_release_gives_the_retention_back_to_its_invoice(self):
        release = self.release(amount=2000.0)
        reversal = self.env["account.move.reversal"].with_context(
            active_model="account.move", active_ids=release.ids,
        ).create({"journal_id": release.journal_id.id, "date": release.invoice_date})
        credit_note = self.env["account.move"].browse(reversal.refund_moves()["res_id"])
        self.assertEqual(credit_note.invoice_line_ids.construction_retention_source_id, self.first)
        credit_note.action_post()
        wizard = self.env["construction.retention.release.wizard"].create({
            "project_id": self.project.id, "partner_id": self.customer.id, "side": "receivable",
        })
        self.assertEqual(wizard._open_sources(), [
            ((self.first, self.env["account.tax"]), 10000.0), ((self.second, self.env["account.tax"]), 5000.0),
        ])

    def test_a_release_to_a_subcontractor_names_the_bills_and_their_references(self):
        bills = self.env["account.move"]
        for ref, date in (("GLM-101", "2026-10-20"), ("GLM-102", "2026-11-20")):
            bill = self.env["account.move"].create({
                "move_type": "in_invoice", "partner_id": self.subcontractor.id, "invoice_date": date, "ref": ref,
                "construction_project_id": self.project.id, "retention_percent": 10.0,
                "invoice_line_ids": [Command.create({"name": "Block walls", "quantity": 1, "price_unit": 10000.0,
                                                     "tax_ids": [Command.clear()]})],
            })
            bill.action_construction_apply_retention()
            bill.action_post()
            bills |= bill
        release = self.release("payable", self.subcontractor, 1500.0)
        self.assertEqual(self.parts(release), [
            (bills[0], "Retention released: %s (GLM-101)" % bills[0].name, 1000.0),
            (bills[1], "Retention released: %s (GLM-102)" % bills[1].name, 500.0),
        ])
        self.assertEqual(release.construction_retention_source_ids, bills)
        self.assertBalances(release, {"211500": 1500.0, "211000": -1500.0})
