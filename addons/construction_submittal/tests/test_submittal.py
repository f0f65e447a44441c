from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from ..models.construction_submittal import revision_key
from odoo.addons.construction_base.tests.common import FinanceCase


class SubmittalCase(FinanceCase):
    """A purchase order for rebar (needs the rebar shop drawing submittal) and formwork (needs
    nothing), bought by the accountant as buyer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create({"name": "Keystone Rebar Supply", "supplier_rank": 1})
        Product = cls.env["product.product"]
        cls.rebar = Product.create({"name": "#5 Rebar, Grade 60", "type": "consu", "is_storable": True,
                                    "purchase_method": "purchase", "standard_price": 1.0})
        cls.formwork = Product.create({"name": "Formwork panels", "type": "consu", "is_storable": True,
                                       "purchase_method": "purchase", "standard_price": 1.0})
        cls.submittal = cls.env["construction.submittal"].create({
            "project_id": cls.project.id, "number": "03 20 00-001", "revision": "0",
            "title": "Rebar shop drawings", "spec_section": "03 20 00",
        })

    def setUp(self):
        super().setUp()
        self.order = self.env["purchase.order"].create({
            "partner_id": self.supplier.id, "user_id": self.finance_manager.id,
            "order_line": [
                Command.create({"product_id": self.rebar.id, "product_qty": 12.0, "price_unit": 850.0}),
                Command.create({"product_id": self.formwork.id, "product_qty": 40.0, "price_unit": 95.0}),
            ],
        })
        self.rebar_line, self.formwork_line = self.order.order_line
        self.submittal.purchase_line_ids = self.rebar_line

    def hold_activities(self):
        return self.order.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("construction_submittal.mail_activity_type_submittal_hold"))

    def receive_goods(self):
        picking = self.order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        return picking.button_validate()

    def bill(self):
        action = self.order.action_create_invoice()
        bill = self.env["account.move"].browse(action["res_id"])
        bill.invoice_date = "2026-11-20"
        return bill


@tagged("post_install", "-at_install")
class TestSubmittalHolds(SubmittalCase):
    def test_order_waits_for_the_submittal(self):
        with self.assertRaisesRegex(UserError, r'cannot be confirmed: #5 Rebar.* waits for 03 20 00-001 rev 0 '
                                               r'"Rebar shop drawings" \(pending review\)'):
            self.order.button_confirm()
        self.submittal.status = "approved_as_noted"
        self.order.button_confirm()
        self.assertEqual(self.order.state, "purchase")
        self.assertFalse(self.rebar_line.construction_submittal_hold)

    def test_new_revision_holds_receipts_and_bills_until_approved(self):
        self.submittal.status = "approved"
        self.order.button_confirm()
        self.submittal.write({"revision": "1", "status": "pending"})
        self.assertTrue(self.rebar_line.construction_submittal_hold)
        self.assertFalse(self.formwork_line.construction_submittal_hold)
        activity = self.hold_activities()
        self.assertEqual((len(activity), activity.user_id), (1, self.finance_manager))
        with self.assertRaisesRegex(UserError, r"Receipt .* cannot be validated: #5 Rebar.*rev 1"):
            self.receive_goods()
        bill = self.bill()
        with self.assertRaisesRegex(UserError, r"Vendor bill .* cannot be posted: #5 Rebar.*waits for 03 20 00-001"):
            bill.action_post()
        self.submittal.status = "approved"
        self.assertFalse(self.rebar_line.construction_submittal_hold)
        self.assertFalse(self.hold_activities(), "the buyer's activity is done")
        self.assertIs(self.receive_goods(), True)
        bill.action_post()
        self.assertEqual((bill.state, bill.amount_untaxed), ("posted", 14000.0))

    def test_rejection_and_supersession_hold_too(self):
        self.submittal.status = "approved"
        self.order.button_confirm()
        for status in ("rejected", "revise_resubmit", "superseded"):
            self.submittal.status = status
            self.assertTrue(self.rebar_line.construction_submittal_hold, status)
            self.submittal.status = "approved"
            self.assertFalse(self.rebar_line.construction_submittal_hold)
        self.assertEqual(self.submittal.revision_ids.mapped("status"), [
            "approved", "superseded", "approved", "revise_resubmit", "approved", "rejected", "approved", "pending"])

    def test_one_held_line_keeps_the_activity_open(self):
        other = self.env["construction.submittal"].create({
            "project_id": self.project.id, "number": "03 11 00-002", "title": "Formwork system", "status": "approved",
            "purchase_line_ids": [Command.link(self.formwork_line.id)]})
        self.submittal.status = "approved"
        self.order.button_confirm()
        self.submittal.status = "rejected"
        other.status = "rejected"
        self.assertEqual(len(self.hold_activities()), 2)
        self.submittal.status = "approved"
        self.assertEqual(len(self.hold_activities()), 2, "formwork is still held")
        other.status = "approved"
        self.assertFalse(self.hold_activities())

    def test_submittal_registered_after_the_order_holds_at_once(self):
        self.submittal.status = "approved"
        self.order.button_confirm()
        self.env["construction.submittal"].create({
            "project_id": self.project.id, "number": "03 11 00-009", "title": "Formwork ties", "status": "rejected",
            "purchase_line_ids": [Command.link(self.formwork_line.id)]})
        self.assertTrue(self.formwork_line.construction_submittal_hold)
        self.assertEqual(len(self.hold_activities()), 1)

    def test_bill_for_lines_not_on_hold_posts(self):
        self.submittal.status = "approved"
        self.order.button_confirm()
        self.submittal.status = "rejected"
        bill = self.bill()
        bill.invoice_line_ids.filtered(lambda line: line.purchase_line_id == self.rebar_line).unlink()
        bill.action_post()
        self.assertEqual(bill.amount_untaxed, 3800.0)

    def test_older_revision_status_changes_nothing(self):
        self.submittal.write({"revision": "2", "status": "approved"})
        self.assertFalse(self.submittal._apply_status("1", "rejected"))
        self.assertEqual((self.submittal.revision, self.submittal.status), ("2", "approved"))
        late = self.submittal.revision_ids[0]
        self.assertEqual((late.revision, late.status, late.applied), ("1", "rejected", False))
        self.assertIn("Arrived after revision 2", late.note)

    def test_revision_order(self):
        self.assertLess(revision_key("2"), revision_key("10"))
        self.assertLess(revision_key("9"), revision_key("A"))
        self.assertLess(revision_key("a"), revision_key("B"))


@tagged("post_install", "-at_install")
class TestSubmittalEvents(SubmittalCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Mapping.create({"system_id": cls.system.id, "res_model": "project.project", "external_id": "P-100",
                            "res_id": cls.project.id})

    def setUp(self):
        super().setUp()
        self.Mapping.create({"system_id": self.system.id, "res_model": "purchase.order.line", "external_id": "POL-1",
                             "res_id": self.rebar_line.id})

    def status(self, revision, status, timestamp, **extra):
        event = self.deliver("submittal.status_changed", {
            "id": "SUB-88", "project_id": "P-100", "number": "03 20 00-001", "revision": revision, "status": status,
            "purchase_line_ids": ["POL-1"], **extra}, timestamp=timestamp)
        self.drain()
        return event

    def test_status_events_adopt_the_register_entry_and_release_then_hold(self):
        approved = self.status("1", "approved", "2026-11-20T08:00:00Z")
        self.assertEqual(approved.state, "done", approved.error_message)
        self.assertEqual(approved.record_ref, self.submittal, "adopted by project and number")
        self.order.button_confirm()
        rejected = self.status("2", "rejected", "2026-11-21T08:00:00Z")
        self.assertEqual(rejected.state, "done", rejected.error_message)
        self.assertTrue(self.rebar_line.construction_submittal_hold)
        self.status("3", "approved", "2026-11-22T08:00:00Z")
        self.assertFalse(self.rebar_line.construction_submittal_hold)

    def test_out_of_order_statuses(self):
        self.status("2", "approved", "2026-11-21T08:00:00Z")
        self.order.button_confirm()
        # Revision 1's rejection, sent later by a slow reviewer: recorded, not applied.
        late_revision = self.status(1, "rejected", "2026-11-22T08:00:00Z")
        self.assertEqual(late_revision.state, "done", late_revision.error_message)
        self.assertEqual((self.submittal.revision, self.submittal.status), ("2", "approved"))
        self.assertFalse(self.rebar_line.construction_submittal_hold)
        # The same revision's older status, delivered late: stale, nothing changes.
        stale = self.status("2", "pending", "2026-11-20T08:00:00Z")
        self.assertEqual(stale.state, "stale")
        self.assertEqual(self.submittal.status, "approved")

    def test_unknown_purchase_line_waits(self):
        event = self.status("1", "approved", "2026-11-20T08:00:00Z", purchase_line_ids=["POL-1", "POL-2"])
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        self.Mapping.create({"system_id": self.system.id, "res_model": "purchase.order.line", "external_id": "POL-2",
                             "res_id": self.formwork_line.id})
        self.drain()
        self.assertEqual(event.state, "done", event.error_message)
        self.assertEqual(self.submittal.purchase_line_ids, self.order.order_line)

    def test_document_revision_supersedes_and_holds(self):
        self.status("1", "approved", "2026-11-20T08:00:00Z")
        self.order.button_confirm()
        event = self.deliver("document.revised", {"id": "DOC-1", "project_id": "P-100", "number": "S-201",
                                                  "revision": "C", "title": "Level 2 framing plan",
                                                  "supersedes_submittal_ids": ["SUB-88"]})
        self.drain()
        self.assertEqual(event.state, "done", event.error_message)
        self.assertEqual(self.submittal.status, "superseded")
        self.assertEqual(self.submittal.revision_ids[0].note, "Superseded by S-201 rev C Level 2 framing plan")
        self.assertTrue(self.rebar_line.construction_submittal_hold)
        self.assertTrue(self.hold_activities())


@tagged("post_install", "-at_install")
class TestSubmittalAccess(SubmittalCase):
    def test_buyers_read_construction_users_write_plain_users_nothing(self):
        with self.assertRaises(AccessError):
            self.submittal.with_user(self.user_plain).read(["title"])
        buyer_view = self.submittal.with_user(self.accountant)
        self.assertEqual(buyer_view.title, "Rebar shop drawings")
        self.submittal.with_user(self.construction_user).status = "approved"
        self.assertEqual(self.submittal.revision_ids[0].create_uid, self.construction_user)
        with self.assertRaises(AccessError):
            self.submittal.with_user(self.construction_user).unlink()
