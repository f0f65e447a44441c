from odoo import api, models
from odoo.tools import float_compare

# A vendor's usual amounts: its last bills of the company (before retention and taxes).
AMOUNT_HISTORY = 20
INVOICE_TYPE = "subcontractor_invoice.received"


class ConstructionSyncHandler(models.AbstractModel):
    """Holds a subcontractor invoice for a person before it becomes a bill when it looks like one
    already billed (same vendor, vendor reference and amount under another id: the platform sent
    it twice, or the subcontractor submitted it twice), or when its amount lies far outside the
    vendor's usual bills (the engine's median/MAD scoring, construction.sync.anomaly._amount_flag)."""

    _inherit = "construction.sync.handler"

    @api.model
    def _hold_reason(self, handler, ctx):
        reason = super()._hold_reason(handler, ctx)
        if reason or handler.event_type != INVOICE_TYPE:
            return reason
        data = ctx.data
        order = ctx.find("purchase.order", data["commitment_id"])
        if not order:
            return None  # applying reports the missing commitment as a data error
        vendor = order.partner_id.commercial_partner_id
        currency = order.currency_id
        total = currency.round(sum(line["amount"] for line in data["lines"]))
        this_bill = ctx.find("account.move", data["id"])
        bills = ctx.env["account.move"].search([
            ("move_type", "=", "in_invoice"), ("commercial_partner_id", "=", vendor.id),
            ("company_id", "=", order.company_id.id), ("state", "!=", "cancel"), ("id", "!=", this_bill.id),
        ], order="invoice_date desc, id desc", limit=500)
        for bill in bills.filtered(lambda b: b.ref == data["vendor_reference"]):
            if float_compare(self._amount_billed(bill), total, precision_rounding=currency.rounding) == 0:
                return ctx.env._(
                    "Possible duplicate: %(vendor)s invoice %(reference)s for %(amount)s is already bill %(bill)s. "
                    "Accept to create a second bill anyway; reject if it is the same invoice.",
                    vendor=vendor.display_name, reference=data["vendor_reference"],
                    amount=currency.format(total), bill=bill.display_name)
        history = [self._amount_billed(bill) for bill in bills.filtered(lambda b: b.state == "posted")[:AMOUNT_HISTORY]]
        unusual = ctx.env["construction.sync.anomaly"]._amount_flag(vendor.display_name, total, history, currency)
        if unusual:
            return ctx.env._("Unusual amount: %(reason)s Accept to create the bill anyway.", reason=unusual)
        return None

    @api.model
    def _amount_billed(self, bill):
        """What a bill charges for commitment lines, before retention and taxes: the amount the
        invoice event sends."""
        return sum(bill.invoice_line_ids.filtered("purchase_line_id").mapped("price_subtotal"))
