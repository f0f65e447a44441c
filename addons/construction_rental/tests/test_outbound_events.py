import json

from odoo.tests import tagged

from .test_rental_billing import RentalCase, dt


@tagged("post_install", "-at_install")
class TestRentalOutbound(RentalCase):
    def test_rental_invoiced_with_exact_amounts(self):
        self.env["construction.sync.subscription"].create({
            "name": "Yard", "system_id": self.system.id, "endpoint_url": "https://yard.example/hooks",
            "event_types": "rental.invoiced"})
        line = self.rent("2026-10-20 15:00:00")
        rented_in = self.rent("2026-10-20 15:00:00", equipment=self.loader, direction="in")
        october = self.bill("2026-11-01 00:00:00").filtered(lambda billing: billing.line_id == line)
        messages = self.env["construction.sync.outbox"].search([("event_type", "=", "rental.invoiced")])
        self.assertEqual(messages.mapped("res_id"), october.ids, "a rented-in machine bills no customer")
        self.assertNotIn(rented_in.id, [json.loads(m.payload)["data"]["rental"]["id"] for m in messages])
        data = json.loads(messages.payload)["data"]
        # 11 days 9 hours = 11.375 days, billed as 11.38 days x 650.00 = 7 397.00.
        self.assertEqual(data["amount"], {"amount": 7397.0, "currency": self.currency.name})
        self.assertEqual((data["period_start"], data["period_end"]), ("2026-10-20T15:00:00Z", "2026-11-01T00:00:00Z"))
        self.assertEqual((data["invoice"]["id"], data["equipment"]["id"], data["customer"]["id"]),
                         (october.move_id.id, self.excavator.id, self.customer.id))
        self.assertEqual([(row["quantity"], row["price_unit"]) for row in data["lines"]], [(11.38, 650.0)])
        self.assertEqual(october.period_end, dt("2026-11-01 00:00:00"))
