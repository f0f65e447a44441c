from odoo.tests import tagged

from .test_finance_events import FinanceEventsCase

PROCESSOR_LOG = "odoo.addons.construction_sync.models.construction_sync_processor"


@tagged("post_install", "-at_install")
class TestEventsAppliedTogether(FinanceEventsCase):
    """New commitments and subcontractor invoices of one claim are created together (their
    handlers are batchable): each event keeps its own outcome, and what they produce is what
    applying them one after the other produces. The processor logs when a batch falls back to
    one by one; the tests on the batch itself assert it did not."""

    def invoice(self, number, lines):
        return self.deliver("subcontractor_invoice.received", {
            "id": number, "commitment_id": "SC-1", "vendor_reference": "ISE-%s" % number,
            "invoice_date": "2026-11-20",
            "lines": [{"commitment_line_id": line, "amount": amount} for line, amount in lines],
        })

    def test_two_new_commitments_of_one_claim(self):
        first = self.deliver("commitment.approved", {
            "id": "SC-1", "project_id": "P-1", "vendor_id": "V-1", "number": "SC-1", "retention_percent": 10,
            "lines": [{"id": "SC-1-1", "cost_code_id": "CC-1", "description": "Erect steel frame",
                       "quantity": 1, "unit_price": 300000.0},
                      {"id": "SC-1-2", "cost_code_id": "CC-2", "description": "Stair stringers",
                       "quantity": 8, "unit_price": 2125.5}]})
        second = self.deliver("commitment.approved", {
            "id": "SC-2", "project_id": "P-1", "vendor_id": "V-1", "number": "SC-2",
            "lines": [{"id": "SC-2-1", "cost_code_id": "CC-2", "description": "Misc metals",
                       "quantity": 3, "unit_price": 1500.25}]})
        with self.assertNoLogs(PROCESSOR_LOG, level="INFO"):
            self.drain()
        self.assertDone(first)
        self.assertDone(second)
        one, two = first.record_ref, second.record_ref
        self.assertEqual((one.state, two.state), ("purchase", "purchase"))
        self.assertEqual((one.amount_untaxed, two.amount_untaxed), (317004.0, 4500.75))
        self.assertEqual((one.retention_percent, two.retention_percent), (10, 0))
        self.assertEqual((one.partner_ref, two.partner_ref), ("SC-1", "SC-2"))
        self.assertEqual(one.order_line.mapped("name"), ["Erect steel frame", "Stair stringers"])
        self.assertEqual(one.order_line.mapped("cost_code_id.code"), ["95 12 00", "95 50 00"])
        for external_id, order, name in (("SC-1-1", one, "Erect steel frame"), ("SC-1-2", one, "Stair stringers"),
                                         ("SC-2-1", two, "Misc metals")):
            line = self.Mapping._find(self.system, "purchase.order.line", external_id).record_ref
            self.assertEqual((line.order_id, line.name), (order, name))

    def test_invoices_of_one_commitment_line_in_one_claim(self):
        self.commitment()
        one = self.invoice("INV-1", [("SC-1-1", 100000.0)])
        two = self.invoice("INV-2", [("SC-1-1", 50000.0), ("SC-1-2", 4251.0)])
        three = self.invoice("INV-3", [("SC-1-2", 12753.0)])
        with self.assertNoLogs(PROCESSOR_LOG, level="INFO"):
            self.drain()
        for event in (one, two, three):
            self.assertDone(event)
        # 10 % withheld: 100,000.00 -> 10,000.00; 54,251.00 -> 5,425.10; 12,753.00 -> 1,275.30.
        bills = (one | two | three).mapped("record_ref")
        self.assertEqual([(b.ref, b.state, b.retention_amount, b.amount_total) for b in bills], [
            ("ISE-INV-1", "draft", 10000.0, 90000.0),
            ("ISE-INV-2", "draft", 5425.1, 48825.9),
            ("ISE-INV-3", "draft", 1275.3, 11477.7),
        ])
        self.assertEqual(two.record_ref.invoice_line_ids.mapped("price_subtotal"), [50000.0, 4251.0, -5425.1])
        # The three drafts bill SC-1-2's 17,004.00 whole: one cent more is refused.
        four = self.invoice("INV-4", [("SC-1-2", 0.01)])
        self.drain()
        self.assertEqual((four.state, four.error_class), ("failed", "business"))

    def test_an_invoice_beyond_a_line_with_the_drafts_of_its_own_claim_fails_alone(self):
        self.commitment()
        one = self.invoice("INV-1", [("SC-1-1", 250000.0)])
        two = self.invoice("INV-2", [("SC-1-1", 50000.01)])
        three = self.invoice("INV-3", [("SC-1-2", 4251.0)])
        self.drain()
        self.assertDone(one)
        self.assertDone(three)
        self.assertEqual((two.state, two.error_class), ("failed", "business"))
        self.assertIn("draft bills ISE-INV-1", two.error_message)
        self.assertFalse(two.record_ref)
        self.assertEqual((one.record_ref.retention_amount, three.record_ref.retention_amount), (25000.0, 425.1))

    def pay_application(self, external_id, project, number, lines):
        return self.deliver("progress_billing.certified", {
            "id": external_id, "project_id": project, "application_number": number, "period_end": "2026-10-31",
            "retention_percent": 10, "materials_retention_percent": 5,
            "lines": [{"cost_code_id": code, "scheduled_value": scheduled, "work_completed_this_period": done,
                       "materials_stored": stored} for code, scheduled, done, stored in lines],
        })

    def test_pay_applications_of_two_projects_in_one_claim(self):
        self.system.setting_ids.filtered(
            lambda s: s.event_type == "progress_billing.certified").requires_approval = False
        self.apply("partner.upserted", {"id": "C-2", "name": "Harbor Logistics", "kind": "customer"})
        self.apply("project.upserted", {"id": "P-2", "name": "Pier 10 Warehouse", "customer_id": "C-2",
                                        "contract_value": 1000000.0, "retention_percent": 10, "currency": "USD"})
        first = self.pay_application("PA-1", "P-1", 1, [("CC-1", 200000, 50000, 0), ("CC-2", 100000, 10000, 8000)])
        second = self.pay_application("PA-2", "P-2", 1, [("CC-1", 400000, 120000, 0)])
        with self.assertNoLogs(PROCESSOR_LOG, level="INFO"):
            self.drain()
        self.assertDone(first)
        self.assertDone(second)
        # 10 % of the work, 5 % of the stored materials withheld.
        self.assertEqual(
            [(a.project_id.name, a.state, a.total_completed_stored, a.retainage_work, a.retainage_stored,
              a.current_payment_due) for a in (first | second).mapped("record_ref")],
            [("Pier 9 Cargo Shed", "certified", 68000.0, 6000.0, 400.0, 61600.0),
             ("Pier 10 Warehouse", "certified", 120000.0, 12000.0, 0.0, 108000.0)],
        )

    def test_two_pay_applications_of_one_project_in_one_claim_carry_forward(self):
        self.system.setting_ids.filtered(
            lambda s: s.event_type == "progress_billing.certified").requires_approval = False
        first = self.pay_application("PA-1", "P-1", 1, [("CC-1", 200000, 50000, 0)])
        second = self.pay_application("PA-2", "P-1", 2, [("CC-1", 200000, 30000, 0)])
        self.drain()
        self.assertDone(first)
        self.assertDone(second)
        line = second.record_ref.line_ids
        self.assertEqual((line.previous_work_completed, second.record_ref.previous_certificates), (50000.0, 45000.0))
        # 80,000.00 completed to date less 8,000.00 retainage, less the 45,000.00 certified before.
        self.assertEqual(second.record_ref.current_payment_due, 27000.0)
