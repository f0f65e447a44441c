"""Taxes for the contract app's tests: a 20 % VAT on sales and on purchases, each posting to an
account of its own so the balances show the tax apart, and a fiscal position exempting a customer."""

from odoo import Command


class VatWorldMixin:
    @classmethod
    def _build_vat_world(cls):
        Account = cls.env["account.account"]
        cls.output_vat_account = Account.create({
            "name": "Output VAT", "code": "251900", "account_type": "liability_current",
            "company_ids": [Command.set(cls.company.ids)],
        })
        cls.input_vat_account = Account.create({
            "name": "Input VAT", "code": "131900", "account_type": "asset_current",
            "company_ids": [Command.set(cls.company.ids)],
        })
        cls.vat_sale = cls._vat("VAT 20 % (sales)", "sale", cls.output_vat_account)
        cls.vat_purchase = cls._vat("VAT 20 % (purchases)", "purchase", cls.input_vat_account)
        cls.exempt_position = cls.env["account.fiscal.position"].create({
            "name": "Exempt (charity)", "company_id": cls.company.id,
            "tax_ids": [Command.create({"tax_src_id": cls.vat_sale.id, "tax_dest_id": False})],
        })

    @classmethod
    def _vat(cls, name, use, account):
        def repartition():
            return [Command.create({"repartition_type": "base"}),
                    Command.create({"repartition_type": "tax", "account_id": account.id})]

        return cls.env["account.tax"].create({
            "name": name, "amount": 20.0, "amount_type": "percent", "type_tax_use": use,
            "company_id": cls.company.id,
            "invoice_repartition_line_ids": repartition(), "refund_repartition_line_ids": repartition(),
        })
