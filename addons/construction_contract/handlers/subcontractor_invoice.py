from odoo import Command
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY

from . import batch

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

    def _values(self, ctx, order, bill, amounts):
        """The bill's values, its lines and its retention included: a bill is made in one create
        (or write), since each further write of its lines makes Odoo synchronise its tax and
        payment term lines and its totals again."""
        data = ctx.data
        product_values = [{**purchase_line._prepare_account_move_line(), "quantity": 1, "price_unit": amount}
                          for purchase_line, amount in amounts.items()]
        values = {"ref": data["vendor_reference"], "invoice_date": data["invoice_date"]}
        if data.get("due_date"):
            values["invoice_date_due"] = data["due_date"]
        if bill:
            retention = bill._construction_retention_line_commands(product_values)
            return {**values, "invoice_line_ids": [Command.clear()] + [
                Command.create(line) for line in product_values] + retention}
        header = order.with_company(order.company_id)._prepare_invoice()
        header.pop("invoice_line_ids", None)
        retention = ctx.env["account.move"].new(header)._construction_retention_line_commands(product_values)
        return {**header, **values, "invoice_line_ids": [Command.create(line) for line in product_values] + retention}

    def _check_retention(self, bill):
        if not bill._construction_retention_is_current():
            # Only if Odoo computed a line's amount otherwise than foreseen: its own lines decide.
            bill.action_construction_apply_retention()

    def apply(self, ctx):
        order, bill, amounts = self._resolve(ctx)
        ctx.env["purchase.order.line"].concat(*amounts)._construction_lock_billing()
        values = self._values(ctx, order, bill, amounts)
        if bill:
            bill.write(values)
        else:
            bill = ctx.env["account.move"].create(values)
        self._check_retention(bill)
        return bill

    # New bills of a claim are created together: one account.move create for many bills costs
    # about half as much a bill as one create each. Applying them together must give what
    # applying them one after the other gives, so a bill that could see another of the claim
    # (its commitment line's other drafts, a duplicate vendor reference) is created after it, in
    # the next create; anything else unusual sends the claim back to the engine, which then
    # applies its events one by one.
    batchable = True

    def apply_batch(self, contexts):
        if len({(ctx.system, ctx.company, ctx.env.lang) for ctx in contexts}) > 1:
            # Each event's system is told of nothing its own event did; a batch would hide the
            # changes of all from all. Its records are also created in one language.
            raise SyncBusinessError("several systems, companies or languages: applied one by one")
        if len({ctx.data["id"] for ctx in contexts}) < len(contexts):
            raise SyncBusinessError("one invoice twice: applied one by one")
        Env = contexts[0].env
        Handler = Env["construction.sync.handler"]
        bills, wave, wave_keys = [], [], set()

        def create_wave():
            lines = Env["purchase.order.line"].concat(*[line for _c, _o, amounts in wave for line in amounts])
            lines._construction_lock_billing()
            created = Env["account.move"].create([self._values(ctx, order, Env["account.move"], amounts)
                                                  for ctx, order, amounts in wave])
            for bill in created:
                self._check_retention(bill)
            bills.extend(created)
            wave.clear()
            wave_keys.clear()

        ordered = batch.in_source_order(contexts)
        for ctx in ordered:
            keys = {("line", str(line["commitment_line_id"])) for line in ctx.data["lines"]}
            keys.add(("reference", ctx.data["vendor_reference"]))
            if keys & wave_keys:
                create_wave()
            # The engine's one-by-one path asks whether a person should look first (a suspected
            # duplicate, an unusual amount); its batch path does not.
            if not ctx.event.approved and Handler._hold_reason(self, ctx):
                raise SyncBusinessError("held for a person: applied one by one")
            order, bill, amounts = self._resolve(ctx)
            if bill:
                raise SyncBusinessError("a draft bill rewritten: applied one by one")
            wave.append((ctx, order, amounts))
            wave_keys.update(keys)
        create_wave()
        return batch.in_given_order(contexts, ordered, bills)


HANDLERS = [SubcontractorInvoiceReceived]
