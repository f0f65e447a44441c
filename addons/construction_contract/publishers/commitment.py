from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, external_ids, money, ref,
)

ORDER_SCHEMA = {
    "type": "object",
    "required": ["id", "external_ids", "number", "state", "vendor", "project", "amount_untaxed", "amount_total",
                 "lines"],
    "properties": {
        "id": {"type": "integer"},
        "external_ids": {"type": "object"},
        "number": {"type": "string"},
        "state": {"type": "string"},
        "vendor": NULLABLE_REF_SCHEMA,
        "project": NULLABLE_REF_SCHEMA,
        "retention_percent": {"type": "number"},
        "date_approve": {"type": ["string", "null"], "format": "date-time"},
        "amount_untaxed": MONEY_SCHEMA,
        "amount_total": MONEY_SCHEMA,
        "lines": {"type": "array", "items": {
            "type": "object",
            "required": ["id", "description", "quantity", "price_unit", "subtotal"],
            "properties": {
                "id": {"type": "integer"},
                "description": {"type": "string"},
                "cost_code": NULLABLE_REF_SCHEMA,
                "quantity": {"type": "number"},
                "price_unit": {"type": "number"},
                "subtotal": MONEY_SCHEMA,
                "change_order": {"type": ["string", "null"],
                                 "description": "Number of the change order that added it."},
            },
        }},
    },
}


class _Order(OutboundEvent):
    model = "purchase.order"
    schema_version = 1
    schema = ORDER_SCHEMA

    def payload(self, record):
        currency = record.currency_id
        return {
            "id": record.id,
            "external_ids": external_ids(record),
            "number": record.name,
            "state": record.state,
            "vendor": ref(record.partner_id.commercial_partner_id),
            "project": ref(record.construction_project_id),
            "retention_percent": record.retention_percent,
            "date_approve": record.date_approve.isoformat() + "Z" if record.date_approve else None,
            "amount_untaxed": money(record.amount_untaxed, currency),
            "amount_total": money(record.amount_total, currency),
            "lines": [{
                "id": line.id,
                "description": line.name,
                "cost_code": ref(line.cost_code_id),
                "quantity": line.product_qty,
                "price_unit": line.price_unit,
                "subtotal": money(line.price_subtotal, currency),
                "change_order": line.change_order_line_id.change_order_id.number or None,
            } for line in record.order_line.filtered(lambda line: not line.display_type)],
        }


class PurchaseOrderConfirmed(_Order):
    type = "purchase_order.confirmed"
    description = "A purchase order (commitment) was confirmed."


class PurchaseOrderChanged(_Order):
    type = "purchase_order.changed"
    description = ("A confirmed purchase order (commitment) changed: its lines (an approved or voided commitment "
                   "change order), vendor, retention or dates.")


PUBLISHERS = [PurchaseOrderConfirmed, PurchaseOrderChanged]
