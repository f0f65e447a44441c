from datetime import date

from psycopg2 import errors

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import CommittedCase

from .test_finance_events import FinanceEventsCase


@tagged("post_install", "-at_install")
class TestDraftBillsCountAtEventTime(FinanceEventsCase):
    """Subcontractor invoices become draft bills; the event-time check counts the other drafts
    of a commitment line, or two drafts could together exceed it and the second to be posted
    would be stuck. SC-1-1 "Erect steel frame" is committed at 300,000.00."""

    def invoice(self, number, amount, reference=None, timestamp="2026-11-23T08:00:00Z"):
        return self.apply("subcontractor_invoice.received", {
            "id": number, "commitment_id": "SC-1", "vendor_reference": reference or "ISE-%s" % number,
            "invoice_date": "2026-11-20", "lines": [{"commitment_line_id": "SC-1-1", "amount": amount}],
        }, timestamp=timestamp)

    def setUp(self):
        super().setUp()
        self.order = self.commitment().record_ref
        self.steel = self.Mapping._find(self.system, "purchase.order.line", "SC-1-1").record_ref

    def test_second_invoice_past_the_line_while_the_first_is_a_draft_is_a_business_error(self):
        first = self.invoice("INV-1", 250000.0)
        self.assertDone(first)
        self.assertEqual((first.record_ref.state, self.steel.construction_billed_amount), ("draft", 0.0))
        second = self.invoice("INV-2", 50000.01)
        self.assertEqual((second.state, second.error_class), ("failed", "business"))
        fmt = self.currency.format
        self.assertEqual(second.error_message, (
            'Billing %s on "Erect steel frame" of %s would bring it to %s, beyond the %s committed: %s of it is on '
            'draft bills ISE-INV-1. Approve a change order first.'
        ) % (fmt(50000.01), self.order.name, fmt(300000.01), fmt(300000.0), fmt(250000.0)))
        self.assertFalse(second.record_ref)
        self.assertEqual(self.steel.invoice_lines.move_id, first.record_ref)

    def test_drafts_up_to_the_line_both_post(self):
        first = self.invoice("INV-1", 250000.0).record_ref
        second = self.invoice("INV-2", 50000.0)
        self.assertDone(second)
        second.record_ref.action_post()
        first.action_post()
        self.assertEqual(self.steel.construction_billed_amount, 300000.0)
        self.assertEqual((first.state, second.record_ref.state), ("posted", "posted"))

    def test_posted_and_draft_bills_add_up(self):
        self.invoice("INV-1", 100000.0).record_ref.action_post()
        self.assertDone(self.invoice("INV-2", 150000.0))
        third = self.invoice("INV-3", 50000.01)
        self.assertEqual(third.error_class, "business")
        self.assertIn("would bring it to %s" % self.currency.format(300000.01), third.error_message)
        self.assertIn("%s of it is on draft bills ISE-INV-2" % self.currency.format(150000.0), third.error_message)
        self.assertDone(self.invoice("INV-4", 50000.0))

    def test_a_resent_draft_replaces_its_own_amount(self):
        self.invoice("INV-1", 250000.0)
        self.invoice("INV-2", 40000.0)
        # INV-1 again, corrected: its own 250,000.00 is replaced, not added; 40,000.00 stays on INV-2.
        corrected = self.invoice("INV-1", 260000.0, timestamp="2026-11-23T09:00:00Z")
        self.assertDone(corrected)
        self.assertEqual(corrected.record_ref.invoice_line_ids.filtered("purchase_line_id").price_subtotal, 260000.0)
        too_much = self.invoice("INV-1", 260000.01, timestamp="2026-11-23T10:00:00Z")
        self.assertEqual(too_much.error_class, "business")
        self.assertIn("%s of it is on draft bills ISE-INV-2" % self.currency.format(40000.0), too_much.error_message)

    def test_a_cancelled_draft_no_longer_counts(self):
        first = self.invoice("INV-1", 250000.0).record_ref
        first.button_cancel()
        self.assertDone(self.invoice("INV-2", 300000.0))


@tagged("post_install", "-at_install")
class TestDraftCheckConcurrency(CommittedCase):
    """Two invoices of one commitment applied at once, in two committed transactions as two
    runners would: each checks the other drafts from its own snapshot, so without a lock both
    pass. The second fails to serialize instead; the engine retries it and the retry is refused."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            vendor = env["res.partner"].create({"name": "Concurrency Steel", "supplier_rank": 1})
            project = env["project.project"].create({"name": "Concurrency Pier"})
            product = env.ref("construction_contract.product_subcontract_work").product_variant_id
            order = env["purchase.order"].create({
                "partner_id": vendor.id, "construction_project_id": project.id,
                "order_line": [Command.create({"product_id": product.id, "name": "Steel frame", "product_qty": 1,
                                               "price_unit": 300000.0, "taxes_id": [Command.clear()]})],
            })
            order.button_confirm()
            self.ids = {"vendor": vendor.id, "project": project.id, "order": order.id, "line": order.order_line.id}
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            order = env["purchase.order"].browse(self.ids["order"])
            order.invoice_ids.unlink()
            order.button_cancel()
            order.unlink()
            env["project.project"].browse(self.ids["project"]).unlink()
            env["res.partner"].browse(self.ids["vendor"]).unlink()

    def draft_bill(self, env, amount):
        """What the invoice handler does: lock, check with the drafts, create the draft."""
        line = env["purchase.order.line"].browse(self.ids["line"])
        line._construction_lock_billing()
        line._construction_check_billing({line: amount}, count_drafts=True)
        return env["account.move"].create({
            "move_type": "in_invoice", "partner_id": self.ids["vendor"], "invoice_date": date(2026, 11, 20),
            "invoice_line_ids": [Command.create({**line._prepare_account_move_line(), "quantity": 1,
                                                 "price_unit": amount})],
        })

    def test_the_later_of_two_concurrent_drafts_fails_to_serialize_then_is_refused(self):
        with self.registry.cursor() as cr_late:
            # The late transaction's snapshot is taken before the early one commits.
            cr_late.execute("SELECT 1")
            with self.registry.cursor() as cr_early:
                self.draft_bill(self.env_for(cr_early), 250000.0)
            with self.assertRaises(errors.SerializationFailure):
                self.draft_bill(self.env_for(cr_late), 50000.01)
            cr_late.rollback()
        with self.registry.cursor() as cr_retry:
            with self.assertRaisesRegex(UserError, "of it is on draft bills"):
                self.draft_bill(self.env_for(cr_retry), 50000.01)
