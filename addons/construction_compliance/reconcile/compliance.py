"""What a compliance platform's snapshot of its vendors carries: what their compliance holds."""

from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec

_lt = LazyTranslate(__name__)


class VendorComplianceSpec(ReconcileSpec):
    """Vendors' compliance holds. Their source values cannot be taken: a hold is computed from the
    vendor's certificates and lien waivers (their statuses and expiry dates) that
    vendor_compliance.updated carries, not set; the snapshot carries only the resulting flags."""

    object_type = "vendor_compliance"
    object_model = "construction.vendor.compliance"
    summary = ("One object per vendor (vendor_id of vendor_compliance.updated): values commitments_held, "
               "bills_held, payments_held, receipts_held (booleans: what the vendor's compliance status blocks).")
    fields = {"commitments_held": "flag", "bills_held": "flag", "payments_held": "flag", "receipts_held": "flag"}
    take_refused = {
        "*": _lt("the holds are computed from the vendor's documents and lien waivers that "
                 "vendor_compliance.updated carries, not set from flags"),
    }

    def odoo_values(self, records):
        # Computed from documents' expiry dates (not stored): read per page, like any field.
        return {
            record.id: {"commitments_held": record.blocks_commitment, "bills_held": record.blocks_bill,
                        "payments_held": record.blocks_payment, "receipts_held": record.blocks_receipt}
            for record in records
        }


SPECS = [VendorComplianceSpec]
