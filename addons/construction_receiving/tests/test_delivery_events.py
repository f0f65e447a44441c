from datetime import datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ReceivingCase


@tagged("post_install", "-at_install")
class TestDeliveryReceived(ReceivingCase):
    def test_partial_delivery_leaves_a_backorder_and_keeps_the_ticket(self):
        receipt = self.order.picking_ids
        event = self.ticket([("PO-1-1", 8)])
        self.assertDone(event)
        self.assertEqual(event.record_ref, receipt)
        self.assertEqual(receipt.state, "done")
        self.assertEqual((receipt.construction_ticket_number, receipt.construction_received_by),
                         ("KRS-1001", "Dana Ortiz"))
        # 07:42 at UTC-5 is 12:42 UTC.
        self.assertEqual(receipt.construction_received_at, datetime(2026, 11, 24, 12, 42))
        self.assertEqual(receipt.construction_photo_urls, "https://field.example.com/p/DT-1/1.jpg")
        self.assertEqual((self.rebar_line.qty_received, self.formwork_line.qty_received), (8.0, 0.0))
        backorder = self.order.picking_ids - receipt
        self.assertEqual(backorder.state, "assigned")
        self.assertEqual(backorder.backorder_id, receipt)
        self.assertEqual(sorted(backorder.move_ids.mapped(lambda m: (m.product_id.name, m.product_uom_qty))),
                         [("#5 Rebar, Grade 60", 4.0), ("Formwork panels", 40.0)])
        self.assertFalse(backorder.construction_ticket_number)
        # The rest on a second ticket: the backorder is received, nothing waits any more.
        self.assertDone(self.ticket([("PO-1-1", 4), ("PO-1-2", 40)], ticket_id="DT-2", number="KRS-1002"))
        self.assertEqual(backorder.state, "done")
        self.assertEqual((self.rebar_line.qty_received, self.formwork_line.qty_received), (12.0, 40.0))
        self.assertEqual(len(self.order.picking_ids), 2)

    def test_the_same_ticket_twice_is_received_once(self):
        self.assertDone(self.ticket([("PO-1-1", 8)]))
        again = self.ticket([("PO-1-1", 8)])
        self.assertDone(again)
        self.assertEqual(self.rebar_line.qty_received, 8.0)

    def test_over_delivery_beyond_the_tolerance_is_refused(self):
        event = self.ticket([("PO-1-1", 12.5)])
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("Delivery ticket KRS-1001 cannot be received: 12.5 t of \"#5 Rebar, Grade 60\" would bring %s "
                      "to 12.5 t received, beyond the 12.0 ordered plus the 0.0 %% over-delivery tolerance (12.0)"
                      % self.order.name, event.error_message)
        self.assertEqual(self.rebar_line.qty_received, 0.0)
        # 5 %: 12.6 t at most.
        self.company.construction_receipt_tolerance = 5.0
        self.assertEqual(self.ticket([("PO-1-1", 12.61)], ticket_id="DT-3").error_class, "business")
        self.assertDone(self.ticket([("PO-1-1", 12.5)], ticket_id="DT-4"))
        self.assertEqual(self.rebar_line.qty_received, 12.5)

    def test_submittal_hold_is_refused_naming_the_submittal(self):
        submittal = self.env["construction.submittal"].create({
            "project_id": self.project.id, "number": "03 20 00-001", "revision": "0",
            "title": "Rebar shop drawings", "spec_section": "03 20 00",
        })
        submittal.purchase_line_ids = self.rebar_line
        self.assertTrue(self.rebar_line.construction_submittal_hold)
        event = self.ticket([("PO-1-1", 8)])
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("Delivery ticket KRS-1001 cannot be received: ", event.error_message)
        self.assertIn("waits for 03 20 00-001 rev 0 \"Rebar shop drawings\"", event.error_message)
        self.assertEqual(self.rebar_line.qty_received, 0.0)

    def test_compliance_hold_waits_and_the_document_releases_it(self):
        self.env["construction.compliance.rule"].create({
            "company_id": self.company.id, "document_type": "tax_form", "block_receipt": True,
        })
        profile = self.env["construction.vendor.compliance"].create({"partner_id": self.supplier.id})
        event = self.ticket([("PO-1-1", 8)])
        self.assertEqual((event.state, event.error_class, event.waiting_for),
                         ("failed", "data", "construction.vendor.compliance:V-77"))
        self.assertIn("Delivery ticket KRS-1001 cannot be received: Tax Form (W-9) of Keystone Rebar Supply is "
                      "missing", event.error_message)
        # By hand the receipt is refused the same way.
        with self.assertRaisesRegex(UserError, "Receipt .* cannot be validated: Tax Form \\(W-9\\) of Keystone Rebar "
                                               "Supply is missing"):
            self.order.picking_ids.button_validate()
        self.env["construction.compliance.document"].create({
            "vendor_compliance_id": profile.id, "document_type": "tax_form", "reference": "W-9 2026",
            "status": "accepted",
        })
        self.drain()
        self.assertDone(event)
        self.assertEqual(self.rebar_line.qty_received, 8.0)
        self.assertEqual(event.audit_ids.sorted(lambda a: (a.at, a.id)).mapped("action"),
                         ["claim", "fail", "release", "claim", "done"])

    def test_unknown_purchase_line_waits_for_it(self):
        event = self.ticket([("PO-404", 8)])
        self.assertEqual((event.state, event.error_class, event.waiting_for),
                         ("failed", "data", "purchase.order.line:PO-404"))

    def test_service_line_is_not_delivered(self):
        self.gl()
        order = self.commitment()
        order.button_confirm()
        self.Mapping.create({"system_id": self.system.id, "res_model": "purchase.order.line",
                             "external_id": "SC-9-1", "res_id": order.order_line.id})
        event = self.ticket([("SC-9-1", 1)])
        self.assertEqual(event.error_class, "business")
        self.assertIn("is a service, not material delivered on site", event.error_message)
