"""A subcontractor's pay request approved in the project platform is a certification of the
work it bills: the bill it becomes is matched (three-way) against that certification, so the
commitment lines it bills are certified to at least what is billed on them."""

from odoo.addons.construction_compliance.handlers.compliant_contract import CompliantSubcontractorInvoiceReceived


class CertifiedSubcontractorInvoiceReceived(CompliantSubcontractorInvoiceReceived):
    __doc__ = CompliantSubcontractorInvoiceReceived.__doc__

    def apply(self, ctx):
        bill = super().apply(ctx)
        bill.invoice_line_ids.purchase_line_id._construction_certify_billed()
        return bill

    def apply_batch(self, contexts):
        # The bills of a batch bill distinct commitment lines: certifying after all of them is
        # certifying after each.
        bills = super().apply_batch(contexts)
        for bill in bills:
            bill.invoice_line_ids.purchase_line_id._construction_certify_billed()
        return bills


REPLACES = {CompliantSubcontractorInvoiceReceived: CertifiedSubcontractorInvoiceReceived}
