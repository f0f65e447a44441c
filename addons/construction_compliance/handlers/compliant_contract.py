"""The contract's commitment and subcontractor invoice events, held by the vendor's compliance.

By hand, confirming a commitment or posting a bill of a non-compliant vendor is refused (a
UserError). An event about it is not refused but waits: a data error for the vendor's
compliance object, which the engine releases when the compliant document arrives (a
vendor_compliance.updated event, or a document recorded by hand)."""

from odoo.addons.construction_contract.handlers.commitment import CommitmentApproved
from odoo.addons.construction_contract.handlers.subcontractor_invoice import SubcontractorInvoiceReceived
from odoo.addons.construction_sync.sync.errors import SyncDataError


def hold_for_compliance(ctx, partner, action, operation):
    """Raises the data error holding `operation` while `partner` misses a document for `action`."""
    Compliance = ctx.env["construction.vendor.compliance"]
    profile = Compliance._of(partner, ctx.company)
    problems = profile._problems(action) if profile else []
    if problems:
        raise SyncDataError(
            ctx.env._("%(hold)s The event is applied by itself when the document arrives.",
                      hold=profile._hold_message(operation, problems)),
            waiting_for=Compliance._wait_key(ctx.system, partner),
        )


class CompliantCommitmentApproved(CommitmentApproved):
    __doc__ = CommitmentApproved.__doc__

    def _resolve(self, ctx):
        project, vendor, order, lines = super()._resolve(ctx)
        if not order or order.state in ("draft", "sent", "to approve"):
            hold_for_compliance(ctx, vendor, "commitment", ctx.env._(
                "Commitment %(number)s cannot be confirmed", number=ctx.data.get("number") or ctx.data["id"]))
        return project, vendor, order, lines


class CompliantSubcontractorInvoiceReceived(SubcontractorInvoiceReceived):
    __doc__ = SubcontractorInvoiceReceived.__doc__

    def _resolve(self, ctx):
        order, bill, amounts = super()._resolve(ctx)
        hold_for_compliance(ctx, order.partner_id, "bill", ctx.env._(
            "Bill %(invoice)s cannot be recorded", invoice=ctx.data["vendor_reference"]))
        return order, bill, amounts


REPLACES = {
    CommitmentApproved: CompliantCommitmentApproved,
    SubcontractorInvoiceReceived: CompliantSubcontractorInvoiceReceived,
}
