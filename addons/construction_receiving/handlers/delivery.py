from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_compliance.handlers.compliant_contract import hold_for_compliance
from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, QUANTITY
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.schema import parse_datetime, to_utc

_lt = LazyTranslate(__name__)


class DeliveryReceived(EventHandler):
    """Material delivered on site, as the field app's delivery ticket says: the purchase order's
    open receipt is validated for the quantities on the ticket (what the ticket leaves stays in a
    backorder), and keeps the ticket number, who received it, when, and the photos. Refused
    (business error) beyond the company's over-delivery tolerance or while a submittal holds a
    line; waits (data error) while the vendor's compliance holds its receipts, and is applied by
    itself when the compliant document arrives. A ticket already received is not received twice."""

    event_type = "delivery.received"
    summary = "Material was delivered on site: the purchase receipt is validated for the ticket's quantities."
    object_model = "stock.picking"
    schema = {
        "type": "object",
        "required": ["id", "ticket_number", "received_at", "lines"],
        "properties": {
            "id": EXTERNAL_ID,
            "ticket_number": {"type": "string", "minLength": 1, "maxLength": 64,
                              "description": "The vendor's delivery ticket (packing slip) number."},
            "received_at": {"type": "string", "format": "date-time"},
            "received_by": {"type": ["string", "null"], "maxLength": 128},
            "photos": {
                "type": "array", "maxItems": 50,
                "items": {"type": "string", "pattern": "^https?://", "maxLength": 2048},
            },
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["purchase_line_id", "quantity"],
                    "properties": {
                        "purchase_line_id": {**EXTERNAL_ID, "description": "External id of the purchase order line."},
                        "quantity": {**QUANTITY, "exclusiveMinimum": 0,
                                     "description": "Delivered, in the purchase line's unit."},
                    },
                },
            },
        },
    }
    example = {
        "id": "DT-40417", "ticket_number": "KRS-118204", "received_at": "2026-11-24T07:42:00-05:00",
        "received_by": "Dana Ortiz (site super)",
        "photos": ["https://field.example.com/photos/DT-40417/1.jpg"],
        "lines": [{"purchase_line_id": "PO-7001-1", "quantity": 8}],
    }

    def _resolve(self, ctx):
        data = ctx.data
        done = ctx.find("stock.picking", data["id"])
        if done and done.state == "done":
            return done, None
        quantities = {}
        for line in data["lines"]:
            purchase_line = ctx.resolve("purchase.order.line", line["purchase_line_id"], _lt("purchase line"))
            quantities[purchase_line] = quantities.get(purchase_line, 0.0) + line["quantity"]
        purchase_lines = ctx.env["purchase.order.line"].concat(*quantities)
        order = purchase_lines.order_id
        operation = ctx.env._("Delivery ticket %(ticket)s cannot be received", ticket=data["ticket_number"])
        if len(order) > 1:
            raise SyncBusinessError(ctx.env._(
                "%(operation)s: its lines belong to several purchase orders (%(orders)s); the field app sends one "
                "ticket per order.", operation=operation, orders=", ".join(order.mapped("name"))))
        if order.state not in ("purchase", "done"):
            raise SyncBusinessError(ctx.env._("%(operation)s: purchase order %(order)s is not confirmed.",
                                              operation=operation, order=order.name))
        held = purchase_lines.filtered("construction_submittal_hold")
        if held:
            raise SyncBusinessError(held._construction_hold_message(operation))
        hold_for_compliance(ctx, order.partner_id, "receipt", operation)
        tolerance = ctx.company.construction_receipt_tolerance
        moves = ctx.env["stock.move"]
        for purchase_line, quantity in quantities.items():
            self._check_quantity(ctx, operation, purchase_line, quantity, tolerance)
            move = purchase_line.move_ids.filtered(
                lambda m: m.state not in ("done", "cancel") and m.location_id.usage == "supplier")[:1]
            if not move:
                raise SyncBusinessError(ctx.env._(
                    "%(operation)s: nothing is left to receive on \"%(line)s\" of %(order)s (%(received)s of "
                    "%(ordered)s %(uom)s received).",
                    operation=operation, line=purchase_line.name, order=order.name,
                    received=purchase_line.qty_received, ordered=purchase_line.product_qty,
                    uom=purchase_line.product_uom.name))
            moves |= move
        if len(moves.picking_id) > 1:
            raise SyncBusinessError(ctx.env._(
                "%(operation)s: its lines wait in several receipts (%(pickings)s); receive them by hand.",
                operation=operation, pickings=", ".join(moves.picking_id.mapped("name"))))
        return moves.picking_id, quantities

    def _check_quantity(self, ctx, operation, purchase_line, quantity, tolerance):
        if purchase_line.product_id.type != "consu":
            raise SyncBusinessError(ctx.env._(
                "%(operation)s: \"%(line)s\" of %(order)s is a service, not material delivered on site.",
                operation=operation, line=purchase_line.name, order=purchase_line.order_id.name))
        allowed = purchase_line.product_qty * (1 + tolerance / 100.0)
        total = purchase_line.qty_received + quantity
        if float_compare(total, allowed, precision_rounding=purchase_line.product_uom.rounding) > 0:
            raise SyncBusinessError(ctx.env._(
                "%(operation)s: %(qty)s %(uom)s of \"%(line)s\" would bring %(order)s to %(total)s %(uom)s received, "
                "beyond the %(ordered)s ordered plus the %(tolerance)s %% over-delivery tolerance (%(allowed)s). "
                "Refuse the excess on site or raise the order first.",
                operation=operation, qty=quantity, uom=purchase_line.product_uom.name, line=purchase_line.name,
                order=purchase_line.order_id.name, total=total, ordered=purchase_line.product_qty,
                tolerance=tolerance, allowed=allowed))

    def prepare(self, ctx):
        picking, quantities = self._resolve(ctx)
        if quantities is None:
            return ctx.env._("Delivery ticket %(ticket)s is already received on %(picking)s",
                             ticket=ctx.data["ticket_number"], picking=picking.name)
        return ctx.env._("Receive delivery ticket %(ticket)s on %(picking)s: %(lines)s",
                         ticket=ctx.data["ticket_number"], picking=picking.name,
                         lines=", ".join("%s %s %s" % (qty, line.product_uom.name, line.name)
                                         for line, qty in quantities.items()))

    def apply(self, ctx):
        picking, quantities = self._resolve(ctx)
        if quantities is None:
            return picking
        data = ctx.data
        for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
            quantity = quantities.get(move.purchase_line_id, 0.0)
            move.quantity = move.purchase_line_id.product_uom._compute_quantity(quantity, move.product_uom)
            move.picked = bool(quantity)
        picking.write({
            "construction_ticket_number": data["ticket_number"],
            "construction_received_by": data.get("received_by") or False,
            "construction_received_at": to_utc(parse_datetime(data["received_at"])),
            "construction_photo_urls": "\n".join(data.get("photos") or []) or False,
        })
        # What the ticket leaves stays in a backorder, without the backorder wizard.
        picking.with_context(skip_backorder=True).button_validate()
        if picking.state != "done":
            raise SyncBusinessError(ctx.env._("Receipt %(picking)s could not be validated.", picking=picking.name))
        return picking


HANDLERS = [DeliveryReceived]
