from odoo import Command
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase

from .common import VatWorldMixin
from .test_pay_application import PayApplicationMixin


class TaxedContractMixin(PayApplicationMixin, VatWorldMixin):
    def taxed(self, rule, sale=True, purchase=False):
        self.project.write({
            "construction_tax_ids": [Command.set(self.vat_sale.ids if sale else [])],
            "construction_purchase_tax_ids": [Command.set(self.vat_purchase.ids if purchase else [])],
            "retention_tax_rule": rule,
        })

    def invoiced(self, lines, **values):
        app = self.application(lines, **values)
        app.action_certify()
        app.action_create_invoice()
        return app

    def release(self, side="receivable", partner=None, amount=None):
        return self.env["construction.retention.release.wizard"].create({
            "project_id": self.project.id, "partner_id": (partner or self.customer).id, "side": side,
            "date": "2026-11-27", "release_all": amount is None, "amount": amount or 0.0,
        })._release()


@tagged("post_install", "-at_install")
class TestPayApplicationTaxes(TaxedContractMixin, FinanceCase):
    """The worked example of the project's readme: 100 000 billed, 10 % retained, 20 % VAT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_vat_world()

    def test_vat_taxed_when_billed(self):
        self.taxed("billed")
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        self.assertEqual((app.current_payment_due, app.amount_tax, app.amount_due_incl_tax),
                         (90000.0, 20000.0, 110000.0))
        app.action_certify()
        app.action_create_invoice()
        invoice = app.invoice_id
        self.assertEqual((invoice.move_type, invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
                         ("out_invoice", 90000.0, 20000.0, 110000.0))
        retention = invoice.invoice_line_ids.filtered("construction_retention")
        self.assertEqual((retention.price_subtotal, retention.tax_ids), (-10000.0, self.env["account.tax"]))
        billed = invoice.invoice_line_ids.filtered(lambda line: not line.construction_retention)
        self.assertEqual(billed.tax_ids, self.vat_sale)
        self.assertBalances(invoice, {"400000": -100000.0, "251900": -20000.0, "121500": 10000.0,
                                      "121000": 110000.0})
        self.assertEqual((app.amount_tax, app.amount_due_incl_tax), (20000.0, 110000.0))
        # The tax was charged on the whole 100 000: the release charges none.
        release = self.release()
        self.assertEqual((release.amount_untaxed, release.amount_tax, release.amount_total), (10000.0, 0.0, 10000.0))
        self.assertBalances(release, {"121500": -10000.0, "121000": 10000.0})

    def test_vat_taxed_when_released(self):
        self.taxed("released")
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        self.assertEqual((app.current_payment_due, app.amount_tax, app.amount_due_incl_tax),
                         (90000.0, 18000.0, 108000.0))
        app.action_certify()
        app.action_create_invoice()
        invoice = app.invoice_id
        self.assertEqual((invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total),
                         (90000.0, 18000.0, 108000.0))
        self.assertEqual(invoice.invoice_line_ids.filtered("construction_retention").tax_ids, self.vat_sale)
        self.assertBalances(invoice, {"400000": -100000.0, "251900": -18000.0, "121500": 10000.0, "121000": 108000.0})
        release = self.release()
        self.assertEqual((release.amount_untaxed, release.amount_tax, release.amount_total), (10000.0, 2000.0, 12000.0))
        self.assertBalances(release, {"121500": -10000.0, "251900": -2000.0, "121000": 12000.0})
        # Over both documents the owner is charged the same 20 000 of VAT as under the other rule.
        self.assertBalances(invoice + release, {"400000": -100000.0, "251900": -20000.0, "121000": 120000.0})

    def test_no_tax(self):
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        invoice = app.invoice_id
        self.assertFalse(invoice.line_ids.tax_ids)
        self.assertEqual((invoice.amount_tax, invoice.amount_total, app.amount_tax, app.amount_due_incl_tax),
                         (0.0, 90000.0, 0.0, 90000.0))
        self.assertBalances(invoice, {"400000": -100000.0, "121500": 10000.0, "121000": 90000.0})

    def test_the_customers_fiscal_position_maps_the_contracts_taxes(self):
        self.taxed("released")
        self.customer.property_account_position_id = self.exempt_position
        app = self.invoiced([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        invoice = app.invoice_id
        self.assertEqual(invoice.fiscal_position_id, self.exempt_position)
        self.assertFalse(invoice.line_ids.tax_ids)
        self.assertBalances(invoice, {"400000": -100000.0, "121500": 10000.0, "121000": 90000.0})
        self.assertEqual(self.project._construction_sale_taxes(), self.env["account.tax"])
        self.assertEqual(self.project._construction_sale_taxes(self.subcontractor), self.vat_sale)

    def cents_application(self):
        # Retainage per line: 12 345.678 -> 12 345.68 on concrete, 1 000.001 -> 1 000.00 on
        # masonry work, 5 % of 5 000.05 = 250.0025 -> 250.00 on stored block: 13 595.68 in all.
        # Billed 123 456.78 + 15 000.06 = 138 456.84; due 138 456.84 - 13 595.68 = 124 861.16.
        return self.invoiced([
            (self.cc_concrete, 400000.0, 123456.78, 0.0),
            (self.cc_masonry, 250000.0, 10000.01, 5000.05),
        ], materials_retention_percent=5.0)

    def test_to_the_cent_taxed_when_billed(self):
        self.taxed("billed")
        app = self.cents_application()
        # VAT per line: 24 691.356 -> 24 691.36 and 3 000.012 -> 3 000.01.
        self.assertEqual((app.current_payment_due, app.amount_tax, app.amount_due_incl_tax),
                         (124861.16, 27691.37, 152552.53))
        self.assertBalances(app.invoice_id, {"400000": -138456.84, "251900": -27691.37, "121500": 13595.68,
                                             "121000": 152552.53})
        release = self.release()
        self.assertEqual((release.amount_tax, release.amount_total), (0.0, 13595.68))

    def test_to_the_cent_taxed_when_released(self):
        self.taxed("released")
        app = self.cents_application()
        # 24 691.36 + 3 000.01 - 2 669.14 (on 13 345.68) - 50.00 (on 250.00) = 24 972.23.
        self.assertEqual((app.current_payment_due, app.amount_tax, app.amount_due_incl_tax),
                         (124861.16, 24972.23, 149833.39))
        self.assertBalances(app.invoice_id, {"400000": -138456.84, "251900": -24972.23, "121500": 13595.68,
                                             "121000": 149833.39})
        # 20 % of 13 595.68 = 2 719.136 -> 2 719.14; with the invoice's, 27 691.37 as when billed.
        release = self.release()
        self.assertEqual((release.amount_tax, release.amount_total), (2719.14, 16314.82))
        self.assertBalances(app.invoice_id + release, {"400000": -138456.84, "251900": -27691.37,
                                                       "121000": 166148.21})

    def test_a_construction_user_reads_the_tax_without_invoicing_rights(self):
        self.taxed("billed")
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        self.assertEqual(app.with_user(self.construction_user).amount_tax, 20000.0)
        app.action_certify()
        app.action_create_invoice()
        app.invalidate_recordset()
        self.assertEqual(app.with_user(self.construction_user).amount_due_incl_tax, 110000.0)

    def test_g702_shows_the_tax_it_adds(self):
        self.taxed("billed")
        app = self.application([(self.cc_concrete, 400000.0, 100000.0, 0.0)])
        html = self.env["ir.actions.report"]._render_qweb_html(
            "construction_contract.report_pay_application", app.ids)[0].decode()
        for text in ("Current Payment Due", "90,000.00", "Tax", "20,000.00", "Current Payment Due incl. Tax",
                     "110,000.00"):
            self.assertIn(text, html)


@tagged("post_install", "-at_install")
class TestSubcontractBillTaxes(TaxedContractMixin, FinanceCase):
    """A subcontractor bills 10 000 on a commitment with 10 % retention and 20 % input VAT."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._build_vat_world()

    def bill(self, rule):
        self.taxed(rule, sale=False, purchase=True)
        product = self.env.ref("construction_contract.product_subcontract_work").product_variant_id
        order = self.env["purchase.order"].create({
            "partner_id": self.subcontractor.id, "construction_project_id": self.project.id, "retention_percent": 10.0,
            "order_line": [Command.create({"product_id": product.id, "name": "Block walls", "product_qty": 1,
                                           "price_unit": 10000.0, "cost_code_id": self.cc_masonry.id})],
        })
        self.assertEqual(order.order_line.taxes_id, self.vat_purchase, "the project's taxes, not the product's")
        order.button_confirm()
        order.action_create_invoice()
        bill = order.invoice_ids
        bill.invoice_date = "2026-11-20"
        bill.action_post()
        return bill

    def test_taxed_when_billed(self):
        bill = self.bill("billed")
        self.assertEqual((bill.amount_untaxed, bill.amount_tax, bill.amount_total), (9000.0, 2000.0, 11000.0))
        self.assertBalances(bill, {"600000": 10000.0, "131900": 2000.0, "211500": -1000.0, "211000": -11000.0})
        release = self.release("payable", self.subcontractor)
        self.assertBalances(release, {"211500": 1000.0, "211000": -1000.0})

    def test_taxed_when_released(self):
        bill = self.bill("released")
        self.assertEqual((bill.amount_untaxed, bill.amount_tax, bill.amount_total), (9000.0, 1800.0, 10800.0))
        self.assertBalances(bill, {"600000": 10000.0, "131900": 1800.0, "211500": -1000.0, "211000": -10800.0})
        release = self.release("payable", self.subcontractor)
        self.assertEqual(release.construction_retention_source_ids, bill)
        self.assertBalances(release, {"211500": 1000.0, "131900": 200.0, "211000": -1200.0})
