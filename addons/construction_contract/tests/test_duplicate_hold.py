from odoo.tests import tagged

from .test_finance_events import FinanceEventsCase


@tagged("post_install", "-at_install")
class TestDuplicateHold(FinanceEventsCase):
    """A subcontractor invoice that looks like one already billed, or far outside the vendor's
    usual amounts, waits for a person before it becomes a bill."""

    def invoice(self, external_id, reference, amounts, timestamp="2026-11-23T08:00:00Z"):
        return self.apply("subcontractor_invoice.received", {
            "id": external_id, "commitment_id": "SC-1", "vendor_reference": reference, "invoice_date": "2026-11-20",
            "lines": [{"commitment_line_id": line, "amount": amount} for line, amount in amounts]},
            timestamp=timestamp)

    def bills(self):
        return self.env["account.move"].search([("move_type", "=", "in_invoice"), ("ref", "like", "ISE-")])

    def test_same_vendor_reference_and_amount_is_held(self):
        self.commitment()
        first = self.invoice("INV-1", "ISE-0042", [("SC-1-1", 75000.0), ("SC-1-2", 4251.0)])
        self.assertDone(first)
        # Sent again under another id, split differently: 79 251.00 all the same.
        second = self.invoice("INV-1-bis", "ISE-0042", [("SC-1-1", 79251.0)])
        self.assertEqual(second.state, "awaiting_approval")
        self.assertIn("Possible duplicate: Ironclad Steel Erectors invoice ISE-0042 for", second.approval_summary)
        self.assertIn("79,251.00", second.approval_summary)
        self.assertIn(first.record_ref.display_name, second.approval_summary)
        self.assertEqual(len(self.bills()), 1)
        # A person decides: it is the same invoice.
        second.with_user(self.user_manager).action_reject("Same invoice sent twice")
        self.assertEqual(second.state, "ignored")
        self.assertEqual(len(self.bills()), 1)

    def test_accepting_a_held_invoice_creates_the_bill(self):
        self.commitment()
        self.invoice("INV-1", "ISE-0042", [("SC-1-1", 1000.0)])
        second = self.invoice("INV-2", "ISE-0042", [("SC-1-1", 1000.0)])
        self.assertEqual(second.state, "awaiting_approval")
        second.with_user(self.user_manager).action_accept()
        self.assertDone(second)
        self.assertEqual(len(self.bills()), 2)

    def test_other_amount_or_reference_is_not_held(self):
        self.commitment()
        self.invoice("INV-1", "ISE-0042", [("SC-1-1", 1000.0)])
        self.assertDone(self.invoice("INV-2", "ISE-0042", [("SC-1-1", 1000.01)]))
        self.assertDone(self.invoice("INV-3", "ISE-0043", [("SC-1-1", 1000.0)]))
        # The same invoice resent under its own id updates its draft bill: not a duplicate.
        self.assertDone(self.invoice("INV-1", "ISE-0042", [("SC-1-1", 1000.0)], timestamp="2026-11-23T09:00:00Z"))

    def test_amount_far_outside_the_vendors_usual_bills_is_held(self):
        self.commitment()
        for n, amount in enumerate((1000.0, 1100.0, 1050.0, 980.0, 1020.0)):
            event = self.invoice("INV-%s" % n, "ISE-10%s" % n, [("SC-1-1", amount)])
            event.record_ref.action_post()
        usual = self.invoice("INV-9", "ISE-109", [("SC-1-1", 1200.0)])
        self.assertDone(usual)
        # Median 1 020.00 over the 5 posted bills, spread 102.00 (10 % of the median, above the
        # scaled MAD 44.48): usual range 408.00-1 632.00. 50 000.00 is far outside.
        unusual = self.invoice("INV-10", "ISE-110", [("SC-1-1", 50000.0)])
        self.assertEqual(unusual.state, "awaiting_approval")
        self.assertIn("Unusual amount: Ironclad Steel Erectors:", unusual.approval_summary)
        self.assertIn("408.00", unusual.approval_summary)
        self.assertIn("1,632.00", unusual.approval_summary)
        self.assertIn("median", unusual.approval_summary)
