import json

from odoo import Command
from odoo.tests import tagged

from .common import FinanceCase


@tagged("post_install", "-at_install")
class TestOutboundFinanceEvents(FinanceCase):
    """vendor.upserted, invoice/bill posted and payment status, with exact amounts."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.subscription = cls.env["construction.sync.subscription"].create({
            "name": "Field platform", "system_id": cls.system.id, "endpoint_url": "https://field.example/hooks"})
        cls.env["construction.sync.mapping"].create({
            "system_id": cls.system.id, "res_model": "res.partner", "external_id": "C-100",
            "res_id": cls.customer.id})
        cls.usd = cls.currency.name

    def payloads(self, event_type):
        messages = self.env["construction.sync.outbox"].search([("event_type", "=", event_type)], order="id")
        return [json.loads(message.payload)["data"] for message in messages]

    def money(self, amount):
        return {"amount": amount, "currency": self.usd}

    def document(self, move_type, partner, price):
        move = self.env["account.move"].create({
            "move_type": move_type, "partner_id": partner.id, "invoice_date": "2026-11-02",
            "construction_project_id": self.project.id,
            "invoice_line_ids": [Command.create({"name": "Work", "quantity": 3, "price_unit": price,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    def pay(self, move, amount):
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {"amount": amount, "payment_date": "2026-11-20"})._create_payments()

    def test_vendor_upserted_on_creation_and_on_a_relevant_change_only(self):
        vendor = self.env["res.partner"].create({"name": "Summit Steel", "supplier_rank": 1, "city": "Denver"})
        self.assertEqual(self.payloads("vendor.upserted"), [{
            "id": vendor.id, "external_ids": {}, "name": "Summit Steel", "kind": "vendor", "email": None,
            "phone": None, "vat": None, "street": None, "city": "Denver", "zip": None, "country_code": None,
            "active": True,
        }])
        vendor.comment = "Pays late"
        self.assertEqual(len(self.payloads("vendor.upserted")), 1, "an internal note is no news")
        vendor.write({"phone": "+1 555 0199", "is_subcontractor": True})
        last = self.payloads("vendor.upserted")[-1]
        self.assertEqual((last["phone"], last["kind"]), ("+1 555 0199", "subcontractor"))
        self.customer.phone = "+1 555 0100"
        self.assertEqual(len(self.payloads("vendor.upserted")), 2, "customers are not vendors")

    def test_vendors_published_together_each_carry_their_own_values(self):
        """A vendor list published at once reads its fields a column at a time: each payload
        still holds its own vendor's values, in the records' order."""
        us, belgium = self.env.ref("base.us"), self.env.ref("base.be")
        vendors = self.env["res.partner"].create([
            {"name": "Alpine Rebar", "supplier_rank": 1, "country_id": us.id, "email": "ap@alpine.example"},
            {"name": "Brick & Co", "supplier_rank": 1, "is_subcontractor": True, "zip": "1000"},
            {"name": "Clearwater Glass", "supplier_rank": 1, "country_id": belgium.id, "vat": "BE0477472701"},
        ])
        publisher = self.env["construction.sync.publisher"]._get("vendor.upserted")
        payloads = publisher.payloads(vendors[2] | vendors[0] | vendors[1])
        self.assertEqual([(p["id"], p["name"], p["kind"], p["country_code"], p["email"], p["zip"], p["vat"])
                          for p in payloads], [
            (vendors[2].id, "Clearwater Glass", "vendor", "BE", None, None, "BE0477472701"),
            (vendors[0].id, "Alpine Rebar", "vendor", "US", "ap@alpine.example", None, None),
            (vendors[1].id, "Brick & Co", "subcontractor", None, None, "1000", None),
        ])

    def test_a_change_from_a_systems_event_is_not_echoed_to_that_system(self):
        estimating = self.env["construction.sync.system"].create({"name": "Estimating", "code": "estimating"})
        other = self.env["construction.sync.subscription"].create({
            "name": "Estimating", "system_id": estimating.id, "endpoint_url": "https://estimating.example/hooks"})
        self.deliver("partner.upserted", {"id": "V-7001", "name": "Granite Line Masonry", "kind": "subcontractor"})
        self.drain()
        messages = self.env["construction.sync.outbox"].search([("event_type", "=", "vendor.upserted")])
        self.assertEqual(messages.subscription_id, other, "the field platform sent it; estimating hears of it")
        self.assertEqual(json.loads(messages.payload)["data"]["external_ids"], {"field": "V-7001"})
        # A later change made in Odoo goes to everyone, the source included.
        vendor = self.env["res.partner"].search([("name", "=", "Granite Line Masonry")])
        vendor.phone = "+1 555 0142"
        messages = self.env["construction.sync.outbox"].search([("event_type", "=", "vendor.upserted")]) - messages
        self.assertEqual(messages.subscription_id, self.subscription | other)

    def test_trace_action_on_the_project_form(self):
        event = self.deliver("project.upserted", {"id": "P-900", "name": "Traced Library Annex"})
        self.drain()
        project = self.env["project.project"].browse(event.res_id)
        self.assertEqual(project.name, "Traced Library Annex")
        action = self.env.ref("construction_base.project_project_action_construction_sync_trace")
        self.assertIn(self.env.ref("construction_sync.group_user"), action.groups_id)
        result = action.with_context(active_model=project._name, active_id=project.id, active_ids=project.ids).run()
        wizard = self.env[result["res_model"]].browse(result["res_id"])
        self.assertIn(event.webhook_id, wizard.trace_html)

    def test_invoice_posted_and_payment_changes(self):
        # 3 x 1 234.55 = 3 703.65.
        invoice = self.document("out_invoice", self.customer, 1234.55)
        (posted,) = self.payloads("invoice.posted")
        self.assertEqual((posted["id"], posted["number"], posted["move_type"]),
                         (invoice.id, invoice.name, "out_invoice"))
        self.assertEqual((posted["amount_total"], posted["amount_residual"], posted["payment_state"]),
                         (self.money(3703.65), self.money(3703.65), "not_paid"))
        self.assertEqual(posted["partner"], {"id": self.customer.id, "external_ids": {"field": "C-100"}})
        self.assertEqual(posted["project"]["id"], self.project.id)
        self.assertFalse(self.payloads("bill.posted"))
        self.pay(invoice, 1000.0)
        self.env.flush_all()
        changes = self.payloads("invoice.payment_changed")
        self.assertEqual([(c["payment_state"], c["amount_residual"]) for c in changes],
                         [("partial", self.money(2703.65))])
        self.pay(invoice, 2703.65)
        self.env.flush_all()
        changes = self.payloads("invoice.payment_changed")
        self.assertEqual(len(changes), 2)
        self.assertEqual((changes[-1]["payment_state"], changes[-1]["amount_residual"]),
                         (invoice.payment_state, self.money(0.0)))
        self.assertIn(changes[-1]["payment_state"], ("in_payment", "paid"))

    def test_bill_posted_and_reversed(self):
        bill = self.document("in_invoice", self.subcontractor, 500.1)
        (posted,) = self.payloads("bill.posted")
        self.assertEqual((posted["amount_total"], posted["move_type"]), (self.money(1500.3), "in_invoice"))
        reversal = bill._reverse_moves([{"invoice_date": "2026-11-25", "date": "2026-11-25"}], cancel=True)
        self.env.flush_all()
        self.assertEqual(bill.payment_state, "reversed")
        changes = self.payloads("bill.payment_changed")
        # The credit note is settled by the bill it reverses.
        self.assertEqual(sorted((c["id"], c["payment_state"]) for c in changes),
                         [(bill.id, "reversed"), (reversal.id, "paid")])
        # The credit note itself is a posted bill-side document, with its own number.
        self.assertEqual([p["id"] for p in self.payloads("bill.posted")], [bill.id, reversal.id])
