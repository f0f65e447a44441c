from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, external_ids, money, ref,
)


CHANGE_ORDER_SCHEMA = {
    "type": "object",
    "required": ["id", "external_ids", "number", "title", "kind", "state", "project", "amount_total", "lines"],
    "properties": {
        "id": {"type": "integer"},
        "external_ids": {"type": "object"},
        "number": {"type": "string"},
        "title": {"type": "string"},
        "kind": {"type": "string", "enum": ["prime", "commitment"]},
        "state": {"type": "string", "enum": ["draft", "submitted", "approved", "rejected", "void"]},
        "project": NULLABLE_REF_SCHEMA,
        "purchase_order": NULLABLE_REF_SCHEMA,
        "approved_by": {"type": ["string", "null"]},
        "approved_at": {"type": ["string", "null"], "format": "date-time"},
        "amount_total": MONEY_SCHEMA,
        "budget_total": MONEY_SCHEMA,
        "lines": {"type": "array", "items": {
            "type": "object",
            "required": ["description", "cost_code", "amount", "budget_amount"],
            "properties": {
                "description": {"type": "string"},
                "cost_code": NULLABLE_REF_SCHEMA,
                "amount": MONEY_SCHEMA,
                "budget_amount": MONEY_SCHEMA,
            },
        }},
    },
}


class _ChangeOrder(OutboundEvent):
    model = "construction.change.order"
    schema_version = 1
    schema = CHANGE_ORDER_SCHEMA

    def payload(self, record):
        currency = record.currency_id
        return {
            "id": record.id,
            "external_ids": external_ids(record),
            "number": record.number,
            "title": record.title,
            "kind": record.kind,
            "state": record.state,
            "project": ref(record.project_id),
            "purchase_order": ref(record.purchase_order_id),
            "approved_by": record.approved_by_id.name or None,
            "approved_at": record.approved_date.isoformat() + "Z" if record.approved_date else None,
            "amount_total": money(record.amount_total, currency),
            "budget_total": money(record.budget_total, currency),
            "lines": [{
                "description": line.description,
                "cost_code": ref(line.cost_code_id),
                "amount": money(line.amount, currency),
                "budget_amount": money(line.budget_amount, currency),
            } for line in record.line_ids],
        }


class ChangeOrderApproved(_ChangeOrder):
    type = "change_order.approved"
    description = "A change order was approved in Odoo."


class ChangeOrderRejected(_ChangeOrder):
    type = "change_order.rejected"
    description = "A change order was rejected in Odoo."


class ChangeOrderVoided(_ChangeOrder):
    type = "change_order.voided"
    description = "An approved change order was voided: its amounts no longer count."


PUBLISHERS = [ChangeOrderApproved, ChangeOrderRejected, ChangeOrderVoided]
