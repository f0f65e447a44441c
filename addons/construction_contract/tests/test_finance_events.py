from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase


@tagged("post_install", "-at_install")
class FinanceEventsCase(FinanceCase):
    """The project platform's view of a job, delivered through the real intake and runner."""

    def setUp(self):
        super().setUp()
        self.apply("partner.upserted", {"id": "C-1", "name": "Bayfront Port Authority", "kind": "customer"})
        self.apply("partner.upserted", {"id": "V-1", "name": "Ironclad Steel Erectors", "kind": "subcontractor"})
        self.apply("project.upserted", {"id": "P-1", "name": "Pier 9 Cargo Shed", "customer_id": "C-1",
                                        "contract_value": 2500000.0, "retention_percent": 5, "currency": "USD"})
        self.apply("cost_code.upserted", {"id": "CC-1", "code": "95 12 00", "name": "Structural Steel"})
        self.apply("cost_code.upserted", {"id": "CC-2", "code": "95 50 00", "name": "Metal Fabrications"})
        self.project_p1 = self.Mapping._find(self.system, "project.project", "P-1").record_ref

    def apply(self, event_type, data, **kwargs):
        event = self.deliver(event_type, data, **kwargs)
        self.drain()
        return event

    def commitment(self, timestamp="2026-11-23T08:00:00Z", **overrides):
        data = {"id": "SC-1", "project_id": "P-1", "vendor_id": "V-1", "number": "SC-1", "retention_percent": 10,
                "lines": [{"id": "SC-1-1", "cost_code_id": "CC-1", "description": "Erect steel frame",
                           "quantity": 1, "unit_price": 300000.0},
                          {"id": "SC-1-2", "cost_code_id": "CC-2", "description": "Stair stringers",
                           "quantity": 8, "unit_price": 2125.5}]}
        data.update(overrides)
        return self.apply("commitment.approved", data, timestamp=timestamp)

    def change_order(self, event_type, number="PCO-1", amount=15000.0, timestamp="2026-11-23T08:00:00Z", **overrides):
        data = {"id": "CO-%s" % number, "project_id": "P-1", "number": number, "title": "Canopy over dock 3",
                "kind": "prime", "lines": [{"cost_code_id": "CC-1", "description": "Canopy steel", "amount": amount}]}
        data.update(overrides)
        return self.apply(event_type, data, timestamp=timestamp)

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)


@tagged("post_install", "-at_install")
class TestCommitmentEvents(FinanceEventsCase):
    def test_commitment_becomes_confirmed_order_with_cost_codes(self):
        event = self.commitment()
        self.assertDone(event)
        order = event.record_ref
        self.assertEqual(order.state, "purchase")
        self.assertEqual(order.construction_project_id, self.project_p1)
        self.assertEqual(order.retention_percent, 10)
        self.assertEqual(order.amount_untaxed, 317004.0)
        self.assertEqual(order.order_line.mapped("cost_code_id.code"), ["95 12 00", "95 50 00"])
        line = self.Mapping._find(self.system, "purchase.order.line", "SC-1-2").record_ref
        self.assertEqual((line.product_qty, line.price_unit), (8, 2125.5))

    def test_update_changes_named_lines_and_adds_new_ones(self):
        self.commitment()
        event = self.commitment(lines=[
            {"id": "SC-1-2", "cost_code_id": "CC-2", "description": "Stair stringers", "quantity": 10,
             "unit_price": 2125.5},
            {"id": "SC-1-3", "cost_code_id": "CC-2", "description": "Handrails", "quantity": 1, "unit_price": 9999.99},
        ])
        self.assertDone(event)
        self.assertEqual(len(event.record_ref.order_line), 3)
        self.assertEqual(event.record_ref.amount_untaxed, 300000.0 + 21255.0 + 9999.99)

    def test_unknown_vendor_waits_then_applies(self):
        event = self.commitment(vendor_id="V-404")
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        self.apply("partner.upserted", {"id": "V-404", "name": "Late Steel Co", "kind": "subcontractor"})
        self.drain()
        self.assertDone(event)

    def test_invoice_becomes_draft_bill_with_retention(self):
        self.commitment()
        event = self.apply("subcontractor_invoice.received", {
            "id": "INV-1", "commitment_id": "SC-1", "vendor_reference": "ISE-0042", "invoice_date": "2026-11-20",
            "lines": [{"commitment_line_id": "SC-1-1", "amount": 75000.0},
                      {"commitment_line_id": "SC-1-2", "amount": 4251.0}]})
        self.assertDone(event)
        bill = event.record_ref
        self.assertEqual((bill.move_type, bill.state, bill.ref), ("in_invoice", "draft", "ISE-0042"))
        self.assertEqual(bill.construction_project_id, self.project_p1)
        self.assertEqual(bill.retention_amount, 7925.1)
        self.assertEqual(bill.amount_total, 71325.9)
        bill.action_post()
        self.assertBalances(bill, {"600000": 79251.0, "211500": -7925.1, "211000": -71325.9})
        steel = self.Mapping._find(self.system, "purchase.order.line", "SC-1-1").record_ref
        self.assertEqual(steel.construction_billed_amount, 75000.0)

    def test_billing_beyond_commitment_is_a_business_error(self):
        self.commitment()
        first = self.apply("subcontractor_invoice.received", {
            "id": "INV-1", "commitment_id": "SC-1", "vendor_reference": "ISE-0042", "invoice_date": "2026-11-20",
            "lines": [{"commitment_line_id": "SC-1-1", "amount": 250000.0}]})
        first.record_ref.action_post()
        second = self.apply("subcontractor_invoice.received", {
            "id": "INV-2", "commitment_id": "SC-1", "vendor_reference": "ISE-0043", "invoice_date": "2026-12-20",
            "lines": [{"commitment_line_id": "SC-1-1", "amount": 50000.01}]})
        self.assertEqual((second.state, second.error_class), ("failed", "business"))
        self.assertIn("300,000.00 committed", second.error_message)
        self.assertFalse(second.record_ref)

    def test_posted_bill_cannot_be_changed_by_a_resend(self):
        self.commitment()
        invoice = {"id": "INV-1", "commitment_id": "SC-1", "vendor_reference": "ISE-0042", "invoice_date": "2026-11-20",
                   "lines": [{"commitment_line_id": "SC-1-1", "amount": 1000.0}]}
        self.apply("subcontractor_invoice.received", invoice).record_ref.action_post()
        changed = self.apply("subcontractor_invoice.received", {**invoice, "lines": [
            {"commitment_line_id": "SC-1-1", "amount": 2000.0}]}, timestamp="2026-11-23T09:00:00Z")
        self.assertEqual(changed.error_class, "business")
        self.assertIn("already posted", changed.error_message)


@tagged("post_install", "-at_install")
class TestChangeOrderEvents(FinanceEventsCase):
    def test_submitted_then_approved_through_the_gate(self):
        submitted = self.change_order("change_order.submitted")
        self.assertDone(submitted)
        change_order = submitted.record_ref
        self.assertEqual(change_order.state, "submitted")
        approved = self.change_order("change_order.approved", timestamp="2026-11-23T09:00:00Z")
        self.assertEqual(approved.state, "awaiting_approval")
        # Change orders move the project's totals: never applied by two runners at once per project.
        self.assertEqual((submitted.conflict_key, approved.conflict_key), ("project.project:P-1",) * 2)
        self.assertIn("Approved change order PCO-1", approved.approval_summary)
        self.assertEqual(self.project_p1.revised_contract_value, 2500000.0)
        approved.with_user(self.construction_manager).action_accept()
        self.assertDone(approved)
        self.assertEqual(approved.record_ref, change_order)
        self.assertEqual(change_order.state, "approved")
        self.assertEqual(change_order.approved_by_id, self.construction_manager)
        self.assertEqual(self.project_p1.revised_contract_value, 2515000.0)

    def _approve(self, **kwargs):
        event = self.change_order("change_order.approved", **kwargs)
        event.with_user(self.construction_manager).action_accept()
        return event

    def test_replay_of_the_approving_event_changes_nothing(self):
        event = self._approve()
        self.assertDone(event)
        event.with_user(self.user_manager).action_replay()
        self.drain()
        if event.state == "awaiting_approval":
            event.with_user(self.construction_manager).action_accept()
        self.assertDone(event)
        self.assertEqual(self.project_p1.revised_contract_value, 2515000.0)

    def test_second_approval_is_a_business_error(self):
        self._approve()
        # Refused before it reaches an approver: the gate's preparation runs the same checks.
        again = self.change_order("change_order.approved", timestamp="2026-11-23T10:00:00Z")
        self.assertEqual((again.state, again.error_class), ("failed", "business"))
        self.assertIn("already approved", again.error_message)
        self.assertEqual(self.project_p1.revised_contract_value, 2515000.0)

    def test_change_order_on_a_closed_project_is_a_business_error(self):
        self.project_p1.action_close_contract()
        event = self.change_order("change_order.submitted")
        self.assertEqual(event.error_class, "business")
        self.assertIn("is closed", event.error_message)

    def test_rejected_and_unknown_cost_code(self):
        event = self.change_order("change_order.rejected")
        self.assertDone(event)
        self.assertEqual(event.record_ref.state, "rejected")
        waiting = self.change_order("change_order.submitted", number="PCO-2",
                                    lines=[{"cost_code_id": "CC-9", "description": "x", "amount": 1.0}])
        self.assertEqual((waiting.error_class, waiting.waiting_for), ("data", "construction.cost.code:CC-9"))

    def test_commitment_change_order_adds_to_the_subcontract(self):
        order = self.commitment().record_ref
        event = self._approve(number="SCO-1", kind="commitment", commitment_id="SC-1", amount=-4251.0)
        self.assertDone(event)
        self.assertEqual(order.amount_untaxed, 317004.0 - 4251.0)
        self.assertEqual(self.project_p1.revised_contract_value, 2500000.0)
