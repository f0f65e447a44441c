from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY


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
        order = ctx.resolve("purchase.order", data["commitment_id"], "commitment")
        bill = ctx.find("account.move", data["id"])
        if bill and bill.state != "draft":
            raise SyncBusinessError(
                "Bill %s for invoice %s is already %s in Odoo and cannot change; the subcontractor should send a "
                "credit note or a new invoice." % (bill.name, data["vendor_reference"], bill.state))
        amounts = {}
        for line in data["lines"]:
            purchase_line = ctx.resolve("purchase.order.line", line["commitment_line_id"], "commitment line")
            if purchase_line.order_id != order:
                raise SyncBusinessError("Line %s belongs to commitment %s, not to %s."
                                        % (line["commitment_line_id"], purchase_line.order_id.name, order.name))
            amounts[purchase_line] = amounts.get(purchase_line, 0.0) + line["amount"]
        # The rule posting applies too; its UserError is a business error for the engine.
        ctx.env["purchase.order.line"]._construction_check_billing(amounts)
        return order, bill, amounts

    def prepare(self, ctx):
        order, bill, amounts = self._resolve(ctx)
        return "%s bill %s from %s on %s (%.2f before retention)" % (
            "Update draft" if bill else "Create", ctx.data["vendor_reference"], order.partner_id.display_name,
            order.name, sum(amounts.values()))

    def apply(self, ctx):
        order, bill, amounts = self._resolve(ctx)
        data = ctx.data
        lines = [(5, 0, 0)] if bill else []
        for purchase_line, amount in amounts.items():
            lines.append((0, 0, {**purchase_line._prepare_account_move_line(), "quantity": 1, "price_unit": amount}))
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
