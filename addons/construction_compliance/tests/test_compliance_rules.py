from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestInsuranceHolds(ComplianceCase):
    def test_expired_insurance_holds_new_commitment_until_renewed(self):
        self.gl(expiry_in=-1, reference="GL-2025")
        order = self.commitment()
        with self.assertRaises(UserError) as caught:
            order.button_confirm()
        message = str(caught.exception)
        self.assertIn("%s cannot be confirmed" % order.name, message)
        self.assertIn("General Liability GL-2025 of Granite Line Masonry expired on %s" % self.days(-1), message)
        self.assertIn("Construction > Compliance > Vendor Compliance (Granite Line Masonry)", message)
        self.assertEqual(order.state, "draft")
        self.assertTrue(self.profile.blocks_commitment)
        self.assertTrue(self.profile.blocks_bill)
        self.assertFalse(self.profile.blocks_payment)
        self.gl(expiry_in=365, reference="GL-2026")
        self.profile.invalidate_recordset()
        self.assertFalse(self.profile.blocks_commitment)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_missing_insurance_names_the_type(self):
        order = self.commitment()
        with self.assertRaisesRegex(UserError, "General Liability of Granite Line Masonry is missing"):
            order.button_confirm()

    def test_coverage_below_minimum_and_pending_review_hold(self):
        document = self.gl(coverage=500000.0).with_context(tracking_disable=False)
        # Created without tracking (the sync world's context): close that transaction's tracking.
        self.env.cr.precommit.run()
        order = self.commitment()
        with self.assertRaisesRegex(UserError, r"covers \$\xa0?500,000.00, below the \$\xa0?1,000,000.00 required"):
            order.button_confirm()
        document.write({"coverage_amount": 1000000.0, "status": "pending"})
        self.env.flush_all()
        self.env.cr.precommit.run()
        with self.assertRaisesRegex(UserError, "GL-2026 of Granite Line Masonry is pending review"):
            order.button_confirm()
        document.status = "accepted"
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        # The audit trail of the certificate: who changed its status and coverage, in its chatter.
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = document.message_ids.tracking_value_ids.mapped("field_id.name")
        self.assertIn("status", tracked)
        self.assertIn("coverage_amount", tracked)

    def test_not_yet_effective_holds(self):
        self.gl(effective_in=3)
        with self.assertRaisesRegex(UserError, "is effective only from %s" % self.days(3)):
            self.commitment().button_confirm()

    def test_vendor_not_enrolled_is_never_held(self):
        supplier = self.env["res.partner"].create({"name": "Corner Lumber", "supplier_rank": 1})
        order = self.commitment(partner=supplier)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_confirmed_commitment_bill_held_then_posted_credit_note_welcome(self):
        document = self.gl()
        order = self.commitment(45000.0)
        order.button_confirm()
        bill = self.bill(order, 45000.0, "GLM-101")
        document.expiry_date = self.days(-1)
        with self.assertRaisesRegex(UserError, "Vendor bill GLM-101 cannot be posted: General Liability GL-2026 of "
                                               "Granite Line Masonry expired on %s" % self.days(-1)):
            bill.action_post()
        self.assertEqual(bill.state, "draft")
        credit = self.env["account.move"].create({
            "move_type": "in_refund", "partner_id": self.subcontractor.id, "invoice_date": self.today,
            "invoice_line_ids": [Command.create({"name": "Back-charge: cleanup", "quantity": 1, "price_unit": 800.0})],
        })
        credit.action_post()
        self.assertEqual(credit.state, "posted")
        document.expiry_date = self.days(30)
        bill.action_post()
        # 45 000.00 billed, 10 % retained: 40 500.00 payable now.
        self.assertEqual(bill.amount_residual, 40500.0)

    def test_rule_without_bill_block_lets_bills_post(self):
        self.gl()
        order = self.commitment(45000.0)
        order.button_confirm()
        self.gl_rule.block_bill = False
        self.profile.document_ids.expiry_date = self.days(-10)
        bill = self.bill(order, 45000.0, "GLM-102")
        bill.action_post()
        self.assertEqual(bill.state, "posted")

    def test_rule_not_required_holds_nothing(self):
        self.gl_rule.required = False
        order = self.commitment()
        order.button_confirm()
        self.assertEqual(order.state, "purchase")


@tagged("post_install", "-at_install")
class TestComplianceCompanies(ComplianceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Northwind Builders"})
        cls.user_b = cls.env["res.users"].create({
            "name": "Nora North", "login": "pp_nora", "company_id": cls.company_b.id,
            "company_ids": [Command.set(cls.company_b.ids)],
            "groups_id": [Command.set([cls.env.ref("construction_base.group_manager").id,
                                       cls.env.ref("base.group_user").id])],
        })

    def test_rules_and_enrolment_are_per_company(self):
        # Company B holds everything for a general liability it does not have; company A's
        # enrolment and documents are not B's.
        self.env["construction.compliance.rule"].create({
            "company_id": self.company_b.id, "document_type": "workers_compensation",
            "block_commitment": True,
        })
        self.gl()
        order = self.commitment()
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        Compliance = self.env["construction.vendor.compliance"].with_user(self.user_b)
        self.assertFalse(Compliance.search([]))
        with self.assertRaises(AccessError):
            self.profile.with_user(self.user_b).read(["partner_id"])
        with self.assertRaises(AccessError):
            self.profile.document_ids.with_user(self.user_b).read(["reference"])
        self.assertEqual(Compliance.cockpit_compliance_summary()["by_vendor"], [])


@tagged("post_install", "-at_install")
class TestComplianceCockpit(ComplianceCase):
    def test_summary_counts_expiring_and_blocking_per_vendor(self):
        Compliance = self.env["construction.vendor.compliance"]
        self.gl(expiry_in=20)
        before = Compliance.cockpit_compliance_summary()
        other = self.env["res.partner"].create({"name": "Bright Spark Electric", "is_company": True,
                                                "is_subcontractor": True})
        Compliance.create({"partner_id": other.id, "company_id": self.company.id})
        summary = Compliance.cockpit_compliance_summary()
        self.assertEqual((summary["expiring"] - before["expiring"], summary["blocking"] - before["blocking"],
                          summary["days"]), (0, 1, 30))
        rows = {row["vendor"]: row for row in summary["by_vendor"]}
        self.assertEqual(rows["Bright Spark Electric"]["blocked_actions"], ["commitment", "bill"])
        self.assertIn("General Liability of Bright Spark Electric is missing",
                      rows["Bright Spark Electric"]["reasons"])
        self.assertEqual((rows["Granite Line Masonry"]["expiring"], rows["Granite Line Masonry"]["blocked_actions"]),
                         (1, []))
        # Blocked vendors first.
        order = [row["vendor"] for row in summary["by_vendor"]]
        self.assertLess(order.index("Bright Spark Electric"), order.index("Granite Line Masonry"))

    def test_cockpit_user_without_construction_role_sees_an_empty_card(self):
        self.gl(expiry_in=20)
        Compliance = self.env["construction.vendor.compliance"]
        summary = Compliance.with_user(self.user_integration).cockpit_compliance_summary()
        self.assertEqual(summary, {"allowed": False, "expiring": 0, "blocking": 0, "days": 30, "by_vendor": []})
        self.assertTrue(Compliance.with_user(self.construction_user).cockpit_compliance_summary()["allowed"])
