from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestLienWaivers(ComplianceCase):
    """Two progress bills of 45 000.00 and 30 000.00 on a 100 000.00 subcontract at 10 %
    retention: 40 500.00 and 27 000.00 payable."""

    def setUp(self):
        super().setUp()
        self.gl()
        self.order = self.commitment(100000.0)
        self.order.button_confirm()
        self.bill_1 = self.bill(self.order, 45000.0, "GLM-201")
        self.bill_1.action_post()

    def test_first_payment_needs_its_conditional_waiver(self):
        self.assertEqual(self.bill_1.amount_residual, 40500.0)
        with self.assertRaises(UserError) as caught:
            self.pay(self.bill_1)
        self.assertIn("Bill GLM-201 cannot be paid: the conditional lien waiver of Granite Line Masonry for "
                      "$\xa040,500.00 on bill GLM-201 (Lakeshore Library Renovation) is missing", str(caught.exception))
        # A waiver for less than the payment does not cover it.
        self.waiver(self.bill_1, 40000.0)
        with self.assertRaises(UserError):
            self.pay(self.bill_1)
        self.waiver(self.bill_1, 40500.0)
        self.pay(self.bill_1)
        self.assertIn(self.bill_1.payment_state, ("paid", "in_payment"))

    def test_second_payment_needs_the_unconditional_waiver_of_the_first(self):
        self.waiver(self.bill_1, 40500.0)
        self.pay(self.bill_1)
        bill_2 = self.bill(self.order, 30000.0, "GLM-202")
        bill_2.action_post()
        self.assertEqual(bill_2.amount_residual, 27000.0)
        self.waiver(bill_2, 27000.0)
        with self.assertRaises(UserError) as caught:
            self.pay(bill_2)
        self.assertIn("the unconditional lien waiver of Granite Line Masonry for the previous payment ($\xa040,500.00 "
                      "on bill GLM-201, Lakeshore Library Renovation) is missing", str(caught.exception))
        self.assertNotIn("conditional lien waiver of Granite Line Masonry for $\xa027,000.00", str(caught.exception))
        unconditional = self.waiver(self.bill_1, 40500.0, "unconditional")
        self.pay(bill_2)
        self.assertIn(bill_2.payment_state, ("paid", "in_payment"))
        self.assertEqual(unconditional.display_name, "Unconditional Progress waiver through %s" % self.today)

    def test_partial_payment_then_the_rest(self):
        # 20 000.00 of the 40 500.00 first; the rest then needs the unconditional waiver of that
        # 20 000.00 and a conditional one for the 20 500.00 left.
        self.waiver(self.bill_1, 20000.0)
        self.pay(self.bill_1, 20000.0)
        self.assertEqual(self.bill_1.amount_residual, 20500.0)
        with self.assertRaisesRegex(UserError, r"unconditional lien waiver .* previous payment \(\$\xa020,000.00 on "
                                               r"bill GLM-201, Lakeshore Library Renovation\)"):
            self.pay(self.bill_1, 20500.0)
        self.waiver(self.bill_1, 20000.0, "unconditional")
        self.waiver(self.bill_1, 20500.0)
        self.pay(self.bill_1, 20500.0)
        self.assertEqual(self.bill_1.amount_residual, 0.0)

    def test_no_waiver_rule_no_hold(self):
        self.waiver_rule.active = False
        self.pay(self.bill_1)
        self.assertIn(self.bill_1.payment_state, ("paid", "in_payment"))

    def test_supplier_not_subcontractor_needs_no_waiver(self):
        self.subcontractor.is_subcontractor = False
        self.pay(self.bill_1)
        self.assertIn(self.bill_1.payment_state, ("paid", "in_payment"))

    def test_insurance_rule_holding_payments(self):
        self.waiver(self.bill_1, 40500.0)
        self.gl_rule.block_payment = True
        self.profile.document_ids.expiry_date = self.days(-2)
        with self.assertRaisesRegex(UserError, "Bill GLM-201 cannot be paid: General Liability GL-2026 of Granite "
                                               "Line Masonry expired on %s" % self.days(-2)):
            self.pay(self.bill_1)

    def test_compliance_list_names_the_missing_waiver(self):
        # The list per project: the vendor's commitments put it on the library job.
        Compliance = self.env["construction.vendor.compliance"]
        # Created in this transaction, the enrolment holds an empty cache for its x2many fields.
        self.profile.invalidate_recordset(["project_ids"])
        self.assertEqual(self.profile.project_ids, self.project)
        self.assertEqual(Compliance.search([("project_ids", "=", self.project.id)]), self.profile)
        self.assertEqual(Compliance.search([("project_ids", "ilike", "Lakeshore Library")]), self.profile)
        self.assertTrue(self.profile.blocks_payment)
        self.assertIn("Paying bills: the conditional lien waiver of Granite Line Masonry for $\xa040,500.00 on bill "
                      "GLM-201 (Lakeshore Library Renovation) is missing", self.profile.block_summary)
        self.waiver(self.bill_1, 40500.0)
        self.profile.invalidate_recordset()
        self.assertFalse(self.profile.blocks_payment)
