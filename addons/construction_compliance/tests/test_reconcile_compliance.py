"""Reconciliation of vendor compliance: what the compliance platform says a vendor's status
blocks, against what Odoo's documents make it block."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import ComplianceCase

AS_OF = "2026-11-28T23:00:00Z"


@tagged("post_install", "-at_install")
class TestReconcileCompliance(ComplianceCase):
    def test_holds_compared(self):
        """Odoo holds a valid general liability certificate (2 000 000.00, expiring in 200 days)
        and no lien waiver asked for: nothing is held. The platform says the certificate lapsed
        (commitments and bills held): two mismatches."""
        self.gl()
        self.env["construction.sync.mapping"].create({
            "system_id": self.system.id, "res_model": "construction.vendor.compliance", "external_id": "V-2001",
            "res_id": self.profile.id})
        self.assertEqual((self.profile.blocks_commitment, self.profile.blocks_bill, self.profile.blocks_payment),
                         (False, False, False))
        event = self.deliver("vendor_compliance.snapshot", {
            "snapshot_id": "S-V", "as_of": AS_OF, "page": 1, "pages": 1,
            "objects": [{"id": "V-2001", "version": "2026-11-27T10:00:00Z",
                         "values": {"commitments_held": True, "bills_held": True, "payments_held": False,
                                    "receipts_held": False}}]}, timestamp=AS_OF)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        diffs = self.env["construction.sync.difference"].search([("system_id", "=", self.system.id)],
                                                                order="field_name")
        self.assertEqual([(d.field_name, d.source_value, d.odoo_value) for d in diffs],
                         [("bills_held", "true", "false"), ("commitments_held", "true", "false")])
        with self.assertRaisesRegex(UserError, "V-2001 \\(vendor_compliance\\) cannot be taken from a snapshot: the "
                                               "holds are computed from the vendor's documents"):
            diffs[0].with_user(self.finance_manager).action_take_source()
