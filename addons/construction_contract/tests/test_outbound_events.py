import json

from odoo import Command
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase

from .test_pay_application import PayApplicationMixin


@tagged("post_install", "-at_install")
class TestOutboundEvents(PayApplicationMixin, FinanceCase):
    """What the contract app publishes, with exact amounts, to a subscription of every type."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls.env["construction.sync.subscription"].create({
            "name": "Field platform", "system_id": cls.system.id, "endpoint_url": "https://field.example/hooks"})
        Mapping = cls.env["construction.sync.mapping"]
        Mapping.create({"system_id": cls.system.id, "res_model": "project.project", "external_id": "P-100",
                        "res_id": cls.project.id})
        Mapping.create({"system_id": cls.system.id, "res_model": "res.partner", "external_id": "V-77",
                        "res_id": cls.subcontractor.id})
        cls.product = cls.env.ref("construction_contract.product_subcontract_work").product_variant_id
        cls.usd = cls.currency.name

    def messages(self, event_type):
        return self.env["construction.sync.outbox"].search([("event_type", "=", event_type)], order="id")

    def data(self, event_type):
        messages = self.messages(event_type)
        self.assertEqual(len(messages), 1, event_type)
        body = json.loads(messages.payload)
        self.assertEqual((body["type"], body["schema_version"]), (event_type, 1))
        return body["data"]

    def money(self, amount):
        return {"amount": amount, "currency": self.usd}

    def order(self):
        return self.env["purchase.order"].create({
            "partner_id": self.subcontractor.id, "construction_project_id": self.project.id, "retention_percent": 10,
            "order_line": [
                Command.create({"product_id": self.product.id, "name": "Masonry walls", "product_qty": 1,
                                "price_unit": 180000.0, "cost_code_id": self.cc_masonry.id,
                                "taxes_id": [Command.clear()]}),
                Command.create({"product_id": self.product.id, "name": "Block", "product_qty": 400,
                                "price_unit": 12.35, "cost_code_id": self.cc_masonry.id,
                                "taxes_id": [Command.clear()]}),
            ],
        })

    def test_purchase_order_confirmed(self):
        order = self.order()
        self.assertFalse(self.messages("purchase_order.confirmed"), "a draft order is no news")
        order.button_confirm()
        data = self.data("purchase_order.confirmed")
        # 1 x 180 000.00 + 400 x 12.35 = 184 940.00, no tax.
        self.assertEqual((data["amount_untaxed"], data["amount_total"]), (self.money(184940.0), self.money(184940.0)))
        self.assertEqual(data["vendor"], {"id": self.subcontractor.id, "external_ids": {"field": "V-77"}})
        self.assertEqual(data["project"], {"id": self.project.id, "external_ids": {"field": "P-100"}})
        self.assertEqual(data["retention_percent"], 10.0)
        self.assertEqual([(line["description"], line["subtotal"]) for line in data["lines"]],
                         [("Masonry walls", self.money(180000.0)), ("Block", self.money(4940.0))])
        self.assertEqual(data["lines"][0]["cost_code"]["id"], self.cc_masonry.id)
        self.assertFalse(self.messages("purchase_order.changed"), "confirming is not a change")

    def test_commitment_change_order_approved_then_voided(self):
        order = self.order()
        order.button_confirm()
        change_order = self.env["construction.change.order"].create({
            "number": "SCO-1", "title": "Extra lintels", "project_id": self.project.id, "kind": "commitment",
            "purchase_order_id": order.id,
            "line_ids": [Command.create({"cost_code_id": self.cc_masonry.id, "description": "Lintels",
                                         "amount": 7250.5})],
        })
        change_order.with_user(self.finance_manager).action_approve()
        data = self.data("change_order.approved")
        self.assertEqual((data["number"], data["kind"], data["state"]), ("SCO-1", "commitment", "approved"))
        self.assertEqual(data["amount_total"], self.money(7250.5))
        self.assertEqual(data["approved_by"], self.finance_manager.name)
        self.assertEqual(data["purchase_order"]["id"], order.id)
        changed = self.messages("purchase_order.changed")
        # 184 940.00 + 7 250.50 = 192 190.50 once the change order's line is on the order.
        self.assertEqual(json.loads(changed[-1].payload)["data"]["amount_untaxed"], self.money(192190.5))
        self.assertEqual(json.loads(changed[-1].payload)["data"]["lines"][-1]["change_order"], "SCO-1")
        change_order.with_user(self.finance_manager).action_void()
        self.assertEqual(self.data("change_order.voided")["state"], "void")
        changed = self.messages("purchase_order.changed")
        self.assertEqual(json.loads(changed[-1].payload)["data"]["amount_untaxed"], self.money(184940.0))
        # Per-object ordering key: the order's messages queue behind each other.
        self.assertEqual(set(changed.mapped("object_key")), {"purchase.order:%s" % order.id})

    def test_prime_change_order_rejected(self):
        change_order = self.env["construction.change.order"].create({
            "number": "PCO-4", "title": "Owner upgrade", "project_id": self.project.id,
            "line_ids": [Command.create({"cost_code_id": self.cc_concrete.id, "description": "Slab",
                                         "amount": 12500.0, "budget_amount": 11000.0})],
        })
        change_order.with_user(self.finance_manager).action_reject()
        data = self.data("change_order.rejected")
        self.assertEqual((data["state"], data["amount_total"], data["budget_total"]),
                         ("rejected", self.money(12500.0), self.money(11000.0)))
        self.assertEqual(data["project"]["external_ids"], {"field": "P-100"})
        self.assertFalse(self.messages("change_order.approved"))

    def test_pay_application_certified_then_invoiced(self):
        app = self.application([
            (self.cc_concrete, 400000.0, 120000.0, 0.0),
            (self.cc_masonry, 250000.0, 30000.0, 20000.0),
            (self.cc_project_only, 50000.0, 10000.0, 0.0),
        ], materials_retention_percent=5.0)
        app.with_user(self.finance_manager).action_certify()
        data = self.data("pay_application.certified")
        # G702: completed and stored 180 000.00; retainage 10 % of 160 000.00 work + 5 % of 20 000.00
        # stored = 17 000.00; current payment due 163 000.00.
        self.assertEqual(
            (data["total_completed_stored"], data["retainage_total"], data["current_payment_due"], data["invoice"]),
            (self.money(180000.0), self.money(17000.0), self.money(163000.0), None))
        self.assertEqual(data["state"], "certified")
        app.with_user(self.finance_manager).action_create_invoice()
        data = self.data("pay_application.invoiced")
        self.assertEqual((data["state"], data["invoice"]["id"], data["invoice_total"]),
                         ("invoiced", app.invoice_id.id, self.money(163000.0)))
        posted = self.data("invoice.posted")
        self.assertEqual((posted["id"], posted["amount_total"], posted["payment_state"]),
                         (app.invoice_id.id, self.money(163000.0), "not_paid"))

    def test_retention_released(self):
        invoice = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": "2026-10-31",
            "construction_project_id": self.project.id, "retention_percent": 10.0,
            "invoice_line_ids": [Command.create({"name": "Progress", "quantity": 1, "price_unit": 140000.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        invoice.action_construction_apply_retention()
        invoice.action_post()
        release = self.env["construction.retention.release.wizard"].create({
            "project_id": self.project.id, "partner_id": self.customer.id, "side": "receivable",
            "date": "2026-11-30", "release_all": False, "amount": 4000.01,
        })._release()
        data = self.data("retention.released")
        self.assertEqual((data["id"], data["side"], data["amount_released"], data["amount_total"]),
                         (release.id, "receivable", self.money(4000.01), self.money(4000.01)))
        self.assertEqual([(r["document"]["id"], r["amount"]) for r in data["releases"]],
                         [(invoice.id, self.money(4000.01))])

    def test_trace_action_on_the_change_order_form(self):
        change_order = self.env["construction.change.order"].create({
            "number": "PCO-9", "title": "Traced", "project_id": self.project.id,
            "line_ids": [Command.create({"cost_code_id": self.cc_concrete.id, "description": "Slab", "amount": 10.0})],
        })
        change_order.with_user(self.finance_manager).action_approve()
        action = self.env.ref("construction_contract.construction_change_order_action_construction_sync_trace")
        self.assertIn(self.env.ref("construction_sync.group_user"), action.groups_id)
        result = action.with_user(self.finance_manager).with_context(
            active_model=change_order._name, active_id=change_order.id, active_ids=change_order.ids).run()
        wizard = self.env[result["res_model"]].browse(result["res_id"])
        self.assertIn(self.messages("change_order.approved").webhook_id, wizard.trace_html)
