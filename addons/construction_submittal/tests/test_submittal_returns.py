from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_submittal import SubmittalCase


@tagged("post_install", "-at_install")
class TestReturnsDuringAHold(SubmittalCase):
    """A hold stops material coming in and charges for it; sending rejected material back and
    the vendor's credit for it are how a rejection is settled, so they go through. 12 rebar at
    850.00 = 10,200.00 and 40 formwork panels at 95.00 = 3,800.00."""

    def setUp(self):
        super().setUp()
        self.submittal.status = "approved"
        self.order.button_confirm()
        self.receipt = self.order.picking_ids
        self.receive_goods()
        self.bill_posted = self.bill()
        self.bill_posted.action_post()
        self.submittal.status = "rejected"
        self.assertTrue(self.rebar_line.construction_submittal_hold)

    def return_rebar(self):
        wizard = self.env["stock.return.picking"].with_context(
            active_id=self.receipt.id, active_ids=self.receipt.ids, active_model="stock.picking").create({})
        for line in wizard.product_return_moves:
            line.quantity = 12.0 if line.product_id == self.rebar else 0.0
        picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        return picking

    def test_delivered_material_goes_back_to_the_vendor(self):
        self.assertEqual(self.rebar_line.qty_received, 12.0)
        back = self.return_rebar()
        self.assertEqual((back.picking_type_code, back.location_dest_id.usage), ("outgoing", "supplier"))
        self.assertIs(back.button_validate(), True)
        self.assertEqual(back.state, "done")
        self.assertEqual(self.rebar_line.qty_received, 0.0)

    def test_material_coming_back_from_the_vendor_waits_again(self):
        back = self.return_rebar()
        back.button_validate()
        wizard = self.env["stock.return.picking"].with_context(
            active_id=back.id, active_ids=back.ids, active_model="stock.picking").create({})
        wizard.product_return_moves.quantity = 12.0
        again = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        again.move_ids.quantity = 12.0
        with self.assertRaisesRegex(UserError, r"^Receipt %s cannot be validated: #5 Rebar.* waits for 03 20 00-001 "
                                               r'rev 0 "Rebar shop drawings" \(rejected\)' % again.name):
            again.button_validate()

    def test_vendor_credit_note_posts_and_frees_the_billed_quantity(self):
        self.assertEqual(self.rebar_line.qty_invoiced, 12.0)
        credit = self.env["account.move"].create({
            "move_type": "in_refund", "partner_id": self.supplier.id, "invoice_date": "2026-11-25",
            "invoice_line_ids": [Command.create({**self.rebar_line._prepare_account_move_line(), "quantity": 12.0})],
        })
        credit.action_post()
        self.assertEqual((credit.state, credit.amount_untaxed), ("posted", 10200.0))
        self.assertEqual(self.rebar_line.qty_invoiced, 0.0)

    def test_charges_still_wait_and_are_named_for_what_they_are(self):
        receipt = self.env["account.move"].create({
            "move_type": "in_receipt", "partner_id": self.supplier.id, "invoice_date": "2026-11-25", "ref": "KRS-5521",
            "invoice_line_ids": [Command.create({**self.rebar_line._prepare_account_move_line(), "quantity": 1.0})],
        })
        with self.assertRaisesRegex(UserError, r"^Purchase receipt KRS-5521 cannot be posted: #5 Rebar"):
            receipt.action_post()
        bill = self.env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.supplier.id, "invoice_date": "2026-11-25",
            "invoice_line_ids": [Command.create({**self.rebar_line._prepare_account_move_line(), "quantity": 1.0})],
        })
        with self.assertRaisesRegex(UserError, r"^Vendor bill \(draft\) cannot be posted: #5 Rebar"):
            bill.action_post()
