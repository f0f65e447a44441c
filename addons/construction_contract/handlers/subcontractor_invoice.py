from odoo import Command
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY

_lt = LazyTranslate(__name__)


class SubcontractorInvoiceReceived(EventHandler):
    """A subcontractor's pay request, approved in the project platform, becomes a draft vendor
    bill of the commitment: one line per commitment line billed, the commitment's retention
    withheld. It stays a draft so accounts payable checks and posts it as any other bill; posting
    again refuses anything beyond the committed amount."""

    event_type = "subcontractor_invoice.received"
    summary = "A subcontractor invoiced work on a commitment: it becomes a draft vendor bill with retention."
    object_model = "account.move"
    schema = {
        "type": "object",
        "required": ["id", "commitment_id", "vendor_reference", "invoice_date", "lines"],
        "properties": {
            "id": EXTERNAL_ID,
            "commitment_id": EXTERNAL_ID,
            "vendor_reference": {"type": "string", "minLength": 1, "maxLength": 128},
            "invoice_date": {"type": "string", "format": "date"},
            "due_date": {"type": ["string", "null"], "format": "date"},
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["commitment_line_id", "amount"],
                    "properties": {
                        "commitment_line_id": EXTERNAL_ID,
                        "amount": {**MONEY, "exclusiveMinimum": 0},
                    },
                },
            },
        },
    }
    example = {
        "id": "INV-88412", "commitment_id": "SC-3105", "vendor_reference": "RC-2026-118",
        "invoice_date": "2026-11-20",
        "lines": [{"commitment_line_id": "SC-3105-1", "amount": 103000.00},
                  {"commitment_line_id": "SC-3105-2", "amount": 5800.00}],
    }

    def _resolve(self, ctx):
        data = ctx.data
        order = ctx.resolve("purchase.order", data["commitment_id"], _lt("commitment"))
        bill = ctx.find("account.move", data["id"])
        if bill and bill.state != "draft":
            raise SyncBusinessError(ctx.env._(
                "Bill %(bill)s for invoice %(invoice)s is already %(state)s in Odoo and cannot change; the "
                "subcontractor should send a credit note or a new invoice.",
                bill=bill.name, invoice=data["vendor_reference"],
                state=ctx.env._("posted") if bill.state == "posted" else ctx.env._("cancelled"),
            ))
        amounts = {}
        for line in data["lines"]:
            purchase_line = ctx.resolve("purchase.order.line", line["commitment_line_id"], _lt("commitment line"))
            if purchase_line.order_id != order:
                raise SyncBusinessError(ctx.env._(
                    "Line %(line)s belongs to commitment %(owner)s, not to %(order)s.",
                    line=line["commitment_line_id"], owner=purchase_line.order_id.name, order=order.name,
                ))
            amounts[purchase_line] = amounts.get(purchase_line, 0.0) + line["amount"]
        # The rule posting applies too, with the other draft bills of the lines counted: this bill
        # is a draft as well. Its UserError is a business error for the engine.
        ctx.env["purchase.order.line"]._construction_check_billing(amounts, count_drafts=True, replacing=bill)
        return order, bill, amounts

    def prepare(self, ctx):
        order, bill, amounts = self._resolve(ctx)
        args = {"invoice": ctx.data["vendor_reference"], "vendor": order.partner_id.display_name,
                "order": order.name, "total": sum(amounts.values())}
        if bill:
            return ctx.env._("Update draft bill %(invoice)s from %(vendor)s on %(order)s (%(total).2f before "
                             "retention)", **args)
        return ctx.env._("Create bill %(invoice)s from %(vendor)s on %(order)s (%(total).2f before retention)",
                         **args)

    def apply(self, ctx):
        order, bill, amounts = self._resolve(ctx)
        ctx.env["purchase.order.line"].concat(*amounts)._construction_lock_billing()
        data = ctx.data
        lines = [Command.clear()] if bill else []
        for purchase_line, amount in amounts.items():
            lines.append(Command.create({
                **purchase_line._prepare_account_move_line(), "quantity": 1, "price_unit": amount,
            }))
        values = {
            "ref": data["vendor_reference"], "invoice_date": data["invoice_date"],
            "invoice_line_ids": lines,
        }
        if data.get("due_date"):
            values["invoice_date_due"] = data["due_date"]
        if bill:
            bill.write(values)
        else:
            header = order.with_company(order.company_id)._prepare_invoice()
            header.pop("invoice_line_ids", None)
            bill = ctx.env["account.move"].create({**header, **values})
        bill.action_construction_apply_retention()
        return bill


HANDLERS = [SubcontractorInvoiceReceived]
