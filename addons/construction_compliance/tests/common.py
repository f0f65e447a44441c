"""The compliance world: the finance world's subcontractor enrolled in compliance tracking, with
a general liability rule (1 000 000.00 minimum, holding commitments and bills) and a lien waiver
rule (holding payments) in the test company. Dates are relative to today, as the rules are."""

from datetime import timedelta

from odoo import Command, fields

from odoo.addons.construction_base.tests.common import FinanceCase


class ComplianceCase(FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        Rule = cls.env["construction.compliance.rule"]
        # The demo company's own rules (demo data) give way to the ones these tests assert.
        Rule.with_context(active_test=False).search([("company_id", "=", cls.company.id)]).unlink()
        cls.gl_rule = Rule.create({
            "company_id": cls.company.id, "document_type": "general_liability", "minimum_coverage": 1000000.0,
            "block_commitment": True, "block_bill": True, "responsible_id": cls.finance_manager.id,
        })
        cls.waiver_rule = Rule.create({
            "company_id": cls.company.id, "document_type": "lien_waiver", "block_payment": True,
        })
        cls.profile = cls.env["construction.vendor.compliance"].create({
            "partner_id": cls.subcontractor.id, "company_id": cls.company.id,
            "responsible_id": cls.accountant.id,
        })
        cls.product = cls.env.ref("construction_contract.product_subcontract_work").product_variant_id

    @classmethod
    def days(cls, n):
        return cls.today + timedelta(days=n)

    def gl(self, expiry_in=200, coverage=2000000.0, status="accepted", reference="GL-2026", effective_in=-165,
           document_type="general_liability"):
        return self.env["construction.compliance.document"].create({
            "vendor_compliance_id": self.profile.id, "document_type": document_type,
            "reference": reference, "insurer": "Keystone Mutual", "coverage_amount": coverage,
            "effective_date": self.days(effective_in), "expiry_date": self.days(expiry_in), "status": status,
        })

    def commitment(self, amount=100000.0, partner=None):
        return self.env["purchase.order"].create({
            "partner_id": (partner or self.subcontractor).id, "construction_project_id": self.project.id,
            "retention_percent": 10.0,
            "order_line": [Command.create({
                "product_id": self.product.id, "name": "Masonry walls, level 1", "product_qty": 1,
                "price_unit": amount, "cost_code_id": self.cc_masonry.id, "taxes_id": [Command.clear()],
            })],
        })

    def bill(self, order, amount, ref):
        """A draft bill of `amount` on the commitment's line (retention withheld when applied)."""
        line = order.order_line
        bill = self.env["account.move"].create({
            **order._prepare_invoice(), "ref": ref, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({
                **line._prepare_account_move_line(), "quantity": 1, "price_unit": amount,
            })],
        })
        bill.action_construction_apply_retention()
        if "construction_certified_amount" in line:
            # With construction_receiving installed too, a subcontract bill is paid only as far as
            # the work is certified (three-way match): the project team certified what is billed.
            line.construction_certified_amount += amount
        return bill

    def pay(self, bill, amount=None):
        wizard = self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=bill.ids).create({"amount": amount} if amount else {})
        return wizard._create_payments()

    def waiver(self, bill, amount, waiver_type="conditional"):
        return self.env["construction.lien.waiver"].create({
            "vendor_compliance_id": self.profile.id, "project_id": self.project.id, "bill_id": bill.id,
            "waiver_type": waiver_type, "scope": "progress", "through_date": self.today, "amount": amount,
        })
