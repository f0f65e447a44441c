"""The receiving world on top of the compliance world (itself the finance world's FinanceCase):
a rebar supplier, a confirmed material order for the library job of 12 t of rebar at 850.00 and
40 formwork panels at 95.00, whose lines the field app knows as PO-1-1 and PO-1-2."""

from odoo import Command

from odoo.addons.construction_compliance.tests.common import ComplianceCase


class ReceivingCase(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "Keystone Rebar Supply", "supplier_rank": 1,
                                                      "is_company": True})
        Product = cls.env["product.product"]
        cls.ton = cls.env.ref("uom.product_uom_ton")
        cls.rebar = Product.create({"name": "#5 Rebar, Grade 60", "type": "consu", "is_storable": True,
                                    "purchase_method": "receive", "uom_id": cls.ton.id, "uom_po_id": cls.ton.id})
        cls.formwork = Product.create({"name": "Formwork panels", "type": "consu", "is_storable": True,
                                       "purchase_method": "receive"})

    def setUp(self):
        super().setUp()
        self.order = self.env["purchase.order"].create({
            "partner_id": self.supplier.id, "construction_project_id": self.project.id,
            "order_line": [
                Command.create({"product_id": self.rebar.id, "product_qty": 12.0, "price_unit": 850.0,
                                "cost_code_id": self.cc_concrete.id, "taxes_id": [Command.clear()]}),
                Command.create({"product_id": self.formwork.id, "product_qty": 40.0, "price_unit": 95.0,
                                "cost_code_id": self.cc_concrete.id, "taxes_id": [Command.clear()]}),
            ],
        })
        self.order.button_confirm()
        self.rebar_line, self.formwork_line = self.order.order_line
        for external_id, line in (("PO-1-1", self.rebar_line), ("PO-1-2", self.formwork_line)):
            self.Mapping.create({"system_id": self.system.id, "res_model": "purchase.order.line",
                                 "external_id": external_id, "res_id": line.id})
        self.Mapping.create({"system_id": self.system.id, "res_model": "res.partner",
                             "external_id": "V-77", "res_id": self.supplier.id})

    def ticket(self, lines, ticket_id="DT-1", number="KRS-1001", **extra):
        event = self.deliver("delivery.received", {
            "id": ticket_id, "ticket_number": number, "received_at": "2026-11-24T07:42:00-05:00",
            "received_by": "Dana Ortiz", "photos": ["https://field.example.com/p/%s/1.jpg" % ticket_id],
            "lines": [{"purchase_line_id": line_id, "quantity": quantity} for line_id, quantity in lines],
            **extra,
        })
        self.drain()
        return event

    def goods_bill(self, quantity, price=850.0, ref="KRS-INV-1"):
        bill = self.env["account.move"].create({
            **self.order._prepare_invoice(), "ref": ref, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({
                **self.rebar_line._prepare_account_move_line(), "quantity": quantity, "price_unit": price,
            })],
        })
        return bill

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)
