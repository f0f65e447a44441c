from datetime import date, datetime

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import MilestoneCase


@tagged("post_install", "-at_install")
class TestMilestoneBilling(MilestoneCase):

    def test_completed_milestone_is_ready_to_bill_with_its_evidence(self):
        event = self.complete()
        self.assertDone(event)
        self.assertEqual(event.record_ref, self.foundations)
        self.assertEqual(
            (self.foundations.is_reached, self.foundations.reached_date, self.foundations.construction_billing_state,
             self.foundations.construction_approved_by, self.foundations.construction_approved_at,
             self.foundations.construction_amount),
            (True, date(2026, 11, 13), "ready", "R. Chen, Owner's Representative", datetime(2026, 11, 13, 16, 10),
             200000.0))
        self.assertEqual(self.topping_out.construction_billing_state, "to_reach")
        ready = self.env["project.milestone"].search([("construction_billing_state", "=", "ready")])
        self.assertEqual(ready, self.foundations)

    def test_accountant_bills_the_milestone_share_with_retention(self):
        self.complete()
        invoice = self.foundations.with_user(self.accountant).action_construction_invoice()
        # 20 % of 1 000 000.00 = 200 000.00 billed, 10 % retention withheld: 180 000.00 due.
        self.assertEqual((invoice.state, invoice.move_type, invoice.partner_id, invoice.construction_project_id),
                         ("draft", "out_invoice", self.customer, self.project))
        self.assertEqual(sorted(invoice.invoice_line_ids.mapped("price_subtotal")), [-20000.0, 200000.0])
        self.assertEqual((invoice.amount_total, invoice.retention_amount), (180000.0, 20000.0))
        self.assertIn("R. Chen", invoice.invoice_line_ids.filtered(lambda line: not line.construction_retention).name)
        self.assertEqual(self.foundations.construction_billing_state, "invoiced")
        # The event again (a replay): nothing billed twice.
        self.assertDone(self.complete())
        self.assertEqual(self.env["account.move"].search_count([("construction_project_id", "=", self.project.id)]), 1)

    def test_project_asking_for_it_gets_the_draft_invoice_at_once(self):
        self.project.construction_milestone_auto_invoice = True
        self.complete()
        self.assertEqual(self.foundations.construction_billing_state, "invoiced")
        self.assertEqual(self.foundations.construction_invoice_id.amount_untaxed, 180000.0)

    def test_unknown_milestone_is_created_with_its_share(self):
        event = self.complete("MS-9", "Roof dried in", billing_percent=15)
        self.assertDone(event)
        milestone = event.record_ref
        self.assertEqual((milestone.project_id, milestone.construction_billing_state, milestone.construction_amount),
                         (self.project, "ready", 150000.0))
        with self.assertRaises(ValidationError):
            milestone.construction_billing_percent = 60.0

    def test_project_billing_by_pay_application_only_is_not_billed(self):
        self.project.construction_bill_by_milestone = False
        self.complete()
        self.assertEqual((self.foundations.is_reached, self.foundations.construction_billing_state),
                         (True, "not_billable"))

    def test_unknown_project_waits_and_is_released(self):
        other = self.env["project.project"].create({"name": "Depot", "partner_id": self.customer.id,
                                                    "original_contract_value": 500000.0,
                                                    "construction_bill_by_milestone": True})
        waiting = self.complete(project_id="P-2", billing_percent=10)
        self.assertEqual((waiting.error_class, waiting.waiting_for), ("data", "project.project:P-2"))
        self.Mapping.create({"system_id": self.system.id, "res_model": "project.project", "external_id": "P-2",
                             "res_id": other.id})
        self.drain()
        self.assertDone(waiting)
        self.assertEqual((waiting.record_ref.project_id, waiting.record_ref.construction_amount), (other, 50000.0))

    def test_reached_in_odoo_keeps_the_user_as_evidence(self):
        self.topping_out.with_user(self.finance_manager).is_reached = True
        self.assertEqual((self.topping_out.construction_billing_state, self.topping_out.construction_approved_by),
                         ("ready", self.finance_manager.name))
        self.assertTrue(self.topping_out.construction_approved_at)
