"""What a compliance platform's snapshot of its vendors carries: what their compliance holds."""

from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec


class VendorComplianceSpec(ReconcileSpec):
    object_type = "vendor_compliance"
    object_model = "construction.vendor.compliance"
    summary = ("One object per vendor (vendor_id of vendor_compliance.updated): values commitments_held, "
               "bills_held, payments_held, receipts_held (booleans: what the vendor's compliance status blocks).")
    fields = {"commitments_held": "flag", "bills_held": "flag", "payments_held": "flag", "receipts_held": "flag"}

    def odoo_values(self, records):
        # Computed from documents' expiry dates (not stored): read per page, like any field.
        return {
            record.id: {"commitments_held": record.blocks_commitment, "bills_held": record.blocks_bill,
                        "payments_held": record.blocks_payment, "receipts_held": record.blocks_receipt}
            for record in records
        }


SPECS = [VendorComplianceSpec]
