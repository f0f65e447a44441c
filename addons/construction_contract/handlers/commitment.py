from odoo import Command
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY, PERCENT, QUANTITY

from . import batch, mappings

_lt = LazyTranslate(__name__)


class CommitmentApproved(EventHandler):
    """A subcontract or material purchase order approved in the project platform becomes a
    confirmed purchase order of the project. Its lines keep their own external ids (unique per
    sending system) because subcontractor invoices bill against them. A later event for the same
    commitment updates the lines it names and adds new ones; lines it does not name stay."""

    event_type = "commitment.approved"
    summary = "A subcontract or purchase order was approved: it becomes a confirmed purchase order of the project."
    object_model = "purchase.order"
    schema = {
        "type": "object",
        "required": ["id", "project_id", "vendor_id", "lines"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": EXTERNAL_ID,
            "vendor_id": {
                **EXTERNAL_ID,
                "description": "External id of the subcontractor or supplier (see partner.upserted).",
            },
            "number": {"type": ["string", "null"], "maxLength": 64, "description": "The platform's contract number."},
            "retention_percent": PERCENT,
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["id", "cost_code_id", "description", "quantity", "unit_price"],
                    "properties": {
                        "id": EXTERNAL_ID,
                        "cost_code_id": EXTERNAL_ID,
                        "description": {"type": "string", "minLength": 1, "maxLength": 255},
                        "quantity": {**QUANTITY, "minimum": 0},
                        "unit_price": MONEY,
                    },
                },
            },
        },
    }
    example = {
        "id": "SC-3105", "project_id": "P-100", "vendor_id": "V-2001", "number": "SC-3105",
        "retention_percent": 10,
        "lines": [
            {"id": "SC-3105-1", "cost_code_id": "CC-033000", "description": "Foundations and slabs",
             "quantity": 1, "unit_price": 412000.00},
            {"id": "SC-3105-2", "cost_code_id": "CC-033000", "description": "Pump truck days",
             "quantity": 12, "unit_price": 1450.00},
        ],
    }

    def _resolve(self, ctx):
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        vendor = ctx.resolve("res.partner", data["vendor_id"], _lt("vendor"))
        mappings.prefetch(ctx, "construction.cost.code", [line["cost_code_id"] for line in data["lines"]])
        mappings.prefetch(ctx, "purchase.order.line", [line["id"] for line in data["lines"]])
        lines = []
        for line in data["lines"]:
            cost_code = ctx.resolve("construction.cost.code", line["cost_code_id"], _lt("cost code"))
            if cost_code.project_id and cost_code.project_id != project:
                raise SyncBusinessError(ctx.env._(
                    "Cost code %(code)s belongs to project %(owner)s, not to %(project)s.",
                    code=cost_code.display_name, owner=cost_code.project_id.display_name,
                    project=project.display_name,
                ))
            lines.append((line, cost_code, ctx.find("purchase.order.line", line["id"])))
        order = ctx.find("purchase.order", data["id"])
        if order and order.partner_id.commercial_partner_id != vendor.commercial_partner_id:
            raise SyncBusinessError(ctx.env._(
                "Commitment %(order)s is with %(vendor)s in Odoo; it cannot move to %(new_vendor)s.",
                order=order.name, vendor=order.partner_id.display_name, new_vendor=vendor.display_name,
            ))
        if order and order.construction_project_id != project:
            raise SyncBusinessError(ctx.env._(
                "Commitment %(order)s belongs to project %(project)s in Odoo; it cannot move to %(new_project)s.",
                order=order.name, project=order.construction_project_id.display_name,
                new_project=project.display_name,
            ))
        for line, _cost_code, purchase_line in lines:
            if purchase_line and purchase_line.order_id != order:
                raise SyncBusinessError(ctx.env._("Line %(line)s already belongs to commitment %(order)s.",
                                                  line=line["id"], order=purchase_line.order_id.name))
            if purchase_line:
                new_total = ctx.company.currency_id.round(line["quantity"] * line["unit_price"])
                if float_compare(new_total, purchase_line.construction_billed_amount,
                                 precision_rounding=ctx.company.currency_id.rounding) < 0:
                    raise SyncBusinessError(ctx.env._(
                        "Line %(line)s would be worth %(total).2f, less than the %(billed).2f already billed on it.",
                        line=line["id"], total=new_total, billed=purchase_line.construction_billed_amount,
                    ))
        return project, vendor, order, lines

    def prepare(self, ctx):
        project, vendor, order, lines = self._resolve(ctx)
        total = sum(line["quantity"] * line["unit_price"] for line, _c, _p in lines)
        args = {"number": ctx.data.get("number") or ctx.data["id"], "vendor": vendor.display_name,
                "project": project.display_name, "total": total}
        if order:
            return ctx.env._("Update commitment %(number)s with %(vendor)s on %(project)s (%(total).2f)", **args)
        return ctx.env._("Create commitment %(number)s with %(vendor)s on %(project)s (%(total).2f)", **args)

    def _header(self, ctx, project, vendor):
        header = {
            "partner_id": vendor.id, "construction_project_id": project.id, "company_id": ctx.company.id,
            "currency_id": ctx.company.currency_id.id, "partner_ref": ctx.data.get("number") or False,
        }
        if "retention_percent" in ctx.data:
            header["retention_percent"] = ctx.data["retention_percent"]
        return header

    def _line_values(self, ctx, project, vendor, lines):
        """Writes the lines the order has already; returns the lines it lacks and their values."""
        product = ctx.env.ref("construction_contract.product_subcontract_work").product_variant_id
        taxes = project._construction_purchase_taxes(vendor)
        new_lines, new_values = [], []
        for line, cost_code, purchase_line in lines:
            values = {
                "name": line["description"], "product_qty": line["quantity"], "price_unit": line["unit_price"],
                "cost_code_id": cost_code.id,
            }
            if purchase_line:
                purchase_line.write(values)
            else:
                new_lines.append(line)
                new_values.append({
                    **values, "product_id": product.id, "product_uom": product.uom_po_id.id,
                    "taxes_id": [Command.set(taxes.ids)],
                })
        return new_lines, new_values

    def _create_lines(self, env, values_by_order):
        """Creates the new lines of orders, given as (order, [line values]), in one create; returns
        them in the order given. Odoo's purchase line create runs the product onchange (a new
        record each, a third of a commitment's cost) for each line that lacks a planned date
        only to deduce it; the lines of one order, product, quantity and unit get the same date,
        so it runs once for them, through the same method."""
        Line = env["purchase.order.line"]
        dates, vals_list = {}, []
        for order, new_values in values_by_order:
            for values in new_values:
                values = {**values, "order_id": order.id}
                key = (order.id, values["product_id"], values["product_qty"], values["product_uom"])
                if key not in dates:
                    dates[key] = Line._prepare_add_missing_fields(values).get("date_planned")
                if dates[key]:
                    values["date_planned"] = dates[key]
                vals_list.append(values)
        return Line.create(vals_list)

    def apply(self, ctx):
        project, vendor, order, lines = self._resolve(ctx)
        header = self._header(ctx, project, vendor)
        if order:
            order.write(header)
        new_lines, new_values = self._line_values(ctx, project, vendor, lines)
        if not order:
            order = ctx.env["purchase.order"].create(header)
        created = self._create_lines(ctx.env, [(order, new_values)])
        mappings.map_many(ctx, "purchase.order.line", [(line["id"], purchase_line)
                                                       for line, purchase_line in zip(new_lines, created, strict=True)])
        if order.state in ("draft", "sent"):
            order.button_confirm()
        return order

    # New commitments of a claim are created together, in one purchase.order create; an update
    # of a known one, or events that could see each other (a line id named by two of them),
    # send the claim back to the engine, which then applies its events one by one.
    batchable = True

    def apply_batch(self, contexts):
        if len({(ctx.system, ctx.company, ctx.env.lang) for ctx in contexts}) > 1:
            # Each event's system is told of nothing its own event did; a batch would hide the
            # changes of all from all. Its records are also created in one language.
            raise SyncBusinessError("several systems, companies or languages: applied one by one")
        line_ids = [str(line["id"]) for ctx in contexts for line in ctx.data["lines"]]
        if len(set(line_ids)) < len(line_ids) or len({ctx.data["id"] for ctx in contexts}) < len(contexts):
            raise SyncBusinessError("events not independent: applied one by one")
        plans, ordered = [], batch.in_source_order(contexts)
        for ctx in ordered:
            project, vendor, order, lines = self._resolve(ctx)
            if order:
                raise SyncBusinessError("an update of a commitment: applied one by one")
            new_lines, new_values = self._line_values(ctx, project, vendor, lines)
            plans.append((ctx, self._header(ctx, project, vendor), new_lines, new_values))
        orders = contexts[0].env["purchase.order"].create([header for _ctx, header, _lines, _values in plans])
        values_by_order = [(order, plan[3]) for order, plan in zip(orders, plans, strict=True)]
        created = iter(self._create_lines(contexts[0].env, values_by_order))
        for ctx, _header, new_lines, _values in plans:
            mappings.map_many(ctx, "purchase.order.line", [(line["id"], next(created)) for line in new_lines])
        for order in orders:
            # One by one, as each event would: each confirmation checks its vendor's compliance
            # and publishes its own message.
            order.button_confirm()
        return batch.in_given_order(contexts, ordered, orders)


HANDLERS = [CommitmentApproved]
