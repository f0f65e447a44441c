from odoo.addons.construction_sync.sync.outbound import MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, money, ref

SCHEMA = {
    "type": "object",
    "required": ["id", "purchase_order", "order_number", "description", "quantity", "on_hold", "submittals"],
    "properties": {
        "id": {"type": "integer"},
        "purchase_order": NULLABLE_REF_SCHEMA,
        "order_number": {"type": "string"},
        "vendor": NULLABLE_REF_SCHEMA,
        "description": {"type": "string"},
        "product": NULLABLE_REF_SCHEMA,
        "quantity": {"type": "number"},
        "subtotal": MONEY_SCHEMA,
        "on_hold": {"type": "boolean"},
        "submittals": {"type": "array", "items": {"type": "object", "properties": {
            "submittal": NULLABLE_REF_SCHEMA, "number": {"type": "string"}, "revision": {"type": ["string", "null"]},
            "status": {"type": ["string", "null"]}, "approved": {"type": "boolean"},
        }}},
    },
}


class _PurchaseLine(OutboundEvent):
    model = "purchase.order.line"
    schema_version = 1
    schema = SCHEMA

    def payload(self, record):
        return {
            "id": record.id,
            "purchase_order": ref(record.order_id),
            "order_number": record.order_id.name,
            "vendor": ref(record.order_id.partner_id.commercial_partner_id),
            "description": record.name,
            "product": ref(record.product_id),
            "quantity": record.product_qty,
            "subtotal": money(record.price_subtotal, record.currency_id),
            "on_hold": record.construction_submittal_hold,
            "submittals": [{
                "submittal": ref(submittal), "number": submittal.number, "revision": submittal.revision or None,
                "status": submittal.status or None, "approved": submittal.is_approved,
            } for submittal in record.construction_submittal_ids],
        }


class PurchaseLineHeld(_PurchaseLine):
    type = "purchase_line.held"
    description = "A confirmed purchase line was put on hold: a linked submittal is no longer approved."


class PurchaseLineReleased(_PurchaseLine):
    type = "purchase_line.released"
    description = "A held purchase line was released: its submittals are approved again."


PUBLISHERS = [PurchaseLineHeld, PurchaseLineReleased]
