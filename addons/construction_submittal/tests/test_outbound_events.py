import json

from odoo.tests import tagged

from .test_submittal import SubmittalCase


@tagged("post_install", "-at_install")
class TestSubmittalOutbound(SubmittalCase):
    def payloads(self, event_type):
        messages = self.env["construction.sync.outbox"].search([("event_type", "=", event_type)], order="id")
        return [json.loads(message.payload)["data"] for message in messages]

    def test_purchase_line_held_then_released(self):
        self.env["construction.sync.subscription"].create({
            "name": "Document control", "system_id": self.system.id, "endpoint_url": "https://docs.example/hooks",
            "event_types": "purchase_line.held, purchase_line.released"})
        self.submittal.status = "approved"
        self.order.button_confirm()
        self.assertFalse(self.payloads("purchase_line.held") + self.payloads("purchase_line.released"),
                         "approved before the order: nothing was ever held")
        self.submittal.write({"revision": "1", "status": "pending"})
        (held,) = self.payloads("purchase_line.held")
        # 12 x 850.00 = 10 200.00; the formwork line needs no submittal and is not news.
        self.assertEqual((held["id"], held["on_hold"], held["quantity"], held["subtotal"]),
                         (self.rebar_line.id, True, 12.0, {"amount": 10200.0, "currency": self.currency.name}))
        self.assertEqual(held["order_number"], self.order.name)
        self.assertEqual([(s["number"], s["revision"], s["status"], s["approved"]) for s in held["submittals"]],
                         [("03 20 00-001", "1", "pending", False)])
        self.submittal.status = "approved"
        (released,) = self.payloads("purchase_line.released")
        self.assertEqual((released["id"], released["on_hold"]), (self.rebar_line.id, False))
        self.assertTrue(released["submittals"][0]["approved"])
