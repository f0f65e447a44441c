from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ReceivingCase


@tagged("post_install", "-at_install")
class TestGoodsMatch(ReceivingCase):
    """8 t of the 12 t of rebar at 850.00 received on site."""

    def setUp(self):
        super().setUp()
        self.assertDone(self.ticket([("PO-1-1", 8)]))

    def test_bill_beyond_received_is_held_until_an_accountant_approves(self):
        bill = self.goods_bill(12.0)
        bill.action_post()
        # Billed 12 t x 850.00 = 10 200.00; received 8 t x 850.00 = 6 800.00; held: 3 400.00.
        self.assertEqual((bill.construction_match_state, bill.construction_match_difference), ("held", 3400.0))
        self.assertIn("billed 12.0 t for $\xa010,200.00; received and not billed before 8.0 t at $\xa0850.00 = "
                      "$\xa06,800.00; difference $\xa03,400.00", bill.construction_match_note)
        with self.assertRaises(UserError) as caught:
            self.pay(bill)
        self.assertIn("Bill KRS-INV-1 cannot be paid: it charges $\xa03,400.00 beyond what was received or certified",
                      str(caught.exception))
        held = {row["id"]: row for row in self.env["account.move"].cockpit_held_bills()}
        self.assertEqual((held[bill.id]["ref"], held[bill.id]["difference"]), ("KRS-INV-1", 3400.0))
        with self.assertRaisesRegex(UserError, "Only accountants"):
            bill.with_user(self.accountant).action_construction_approve_match()
        bill.with_user(self.finance_manager).action_construction_approve_match()
        self.assertEqual((bill.construction_match_state, bill.construction_match_approved_amount,
                          bill.construction_match_approved_uid), ("approved", 3400.0, self.finance_manager))
        self.assertIn("approved paying $&nbsp;3,400.00 beyond what was received or certified",
                      bill.message_ids[0].body)
        self.assertNotIn(bill.id, [row["id"] for row in self.env["account.move"].cockpit_held_bills()])
        self.pay(bill)
        self.assertIn(bill.payment_state, ("paid", "in_payment"))

    def test_bill_of_what_was_received_is_matched(self):
        bill = self.goods_bill(8.0)
        self.assertEqual((bill.construction_match_state, bill.construction_match_difference), ("matched", 0.0))
        bill.action_post()
        # The next bill finds the 8 t billed: nothing left open until the rest is received.
        second = self.goods_bill(1.0, ref="KRS-INV-2")
        self.assertEqual((second.construction_match_state, second.construction_match_difference), ("held", 850.0))
        self.assertDone(self.ticket([("PO-1-1", 4)], ticket_id="DT-2", number="KRS-1002"))
        self.assertEqual(second.construction_match_state, "matched")

    def test_price_above_the_order_is_held(self):
        # 8 t at 870.00 = 6 960.00 against 8 t at 850.00 = 6 800.00: 160.00.
        bill = self.goods_bill(8.0, price=870.0)
        self.assertEqual((bill.construction_match_state, bill.construction_match_difference), ("held", 160.0))

    def test_approval_covers_its_amount_only(self):
        bill = self.goods_bill(9.0)
        bill.with_user(self.finance_manager).action_construction_approve_match()
        self.assertEqual(bill.construction_match_state, "approved")
        bill.invoice_line_ids.quantity = 10.0
        self.assertEqual((bill.construction_match_state, bill.construction_match_difference), ("held", 1700.0))


@tagged("post_install", "-at_install")
class TestSubcontractMatch(ReceivingCase):
    def setUp(self):
        super().setUp()
        self.gl()
        self.sub_order = self.commitment(100000.0)
        self.sub_order.button_confirm()
        self.sub_line = self.sub_order.order_line

    def test_bill_beyond_certified_is_held(self):
        bill = self.bill(self.sub_order, 45000.0, "GLM-301")
        self.sub_line.construction_certified_amount = 30000.0
        # Billed 45 000.00, certified 30 000.00, nothing billed before: 15 000.00 held.
        self.assertEqual((bill.construction_match_state, bill.construction_match_difference), ("held", 15000.0))
        self.assertIn("certified to date $\xa030,000.00 less $\xa00.00 billed before = $\xa030,000.00",
                      bill.construction_match_note)
        bill.action_post()
        self.sub_line.construction_certified_amount = 45000.0
        self.assertEqual(bill.construction_match_state, "matched")
        # The next 10 000.00 against 50 000.00 certified less the 45 000.00 posted: 5 000.00 held.
        second = self.bill(self.sub_order, 10000.0, "GLM-302")
        self.sub_line.construction_certified_amount = 50000.0
        self.assertEqual((second.construction_match_state, second.construction_match_difference), ("held", 5000.0))

    def test_pay_request_approved_in_the_platform_is_certified(self):
        self.Mapping.create({"system_id": self.system.id, "res_model": "purchase.order",
                             "external_id": "SC-9", "res_id": self.sub_order.id})
        self.Mapping.create({"system_id": self.system.id, "res_model": "purchase.order.line",
                             "external_id": "SC-9-1", "res_id": self.sub_line.id})
        event = self.deliver("subcontractor_invoice.received", {
            "id": "INV-9", "commitment_id": "SC-9", "vendor_reference": "GLM-303", "invoice_date": "2026-11-20",
            "lines": [{"commitment_line_id": "SC-9-1", "amount": 45000.0}],
        })
        self.drain()
        self.assertDone(event)
        self.assertEqual(self.sub_line.construction_certified_amount, 45000.0)
        self.assertEqual(event.record_ref.construction_match_state, "matched")


@tagged("post_install", "-at_install")
class TestMatchCompanies(ReceivingCase):
    def test_held_bills_of_another_company_are_not_listed(self):
        self.assertDone(self.ticket([("PO-1-1", 8)]))
        bill = self.goods_bill(12.0)
        company_b = self.env["res.company"].create({"name": "Northwind Builders"})
        user_b = self.env["res.users"].create({
            "name": "Nora North", "login": "pp_nora_match", "company_id": company_b.id,
            "company_ids": [Command.set(company_b.ids)],
            "groups_id": [Command.set([self.env.ref("account.group_account_manager").id])],
        })
        self.assertIn(bill.id, [row["id"] for row in self.env["account.move"].cockpit_held_bills()])
        self.assertEqual(self.env["account.move"].with_user(user_b).cockpit_held_bills(), [])

    def test_cockpit_user_without_accounting_rights_gets_no_bill(self):
        self.assertDone(self.ticket([("PO-1-1", 8)]))
        self.goods_bill(12.0)
        self.assertEqual(self.env["account.move"].with_user(self.user_integration).cockpit_held_bills(), [])
