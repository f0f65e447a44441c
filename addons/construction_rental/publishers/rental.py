from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, external_ids, money, ref,
)


class RentalInvoiced(OutboundEvent):
    type = "rental.invoiced"
    model = "construction.rental.billing"
    description = "A rental line's period was billed to the customer (the billing run created its invoice)."
    schema_version = 1
    schema = {
        "type": "object",
        "required": ["id", "rental", "equipment", "project", "customer", "period_start", "period_end", "amount",
                     "invoice"],
        "properties": {
            "id": {"type": "integer"},
            "rental": NULLABLE_REF_SCHEMA,
            "rental_name": {"type": ["string", "null"]},
            "equipment": NULLABLE_REF_SCHEMA,
            "project": NULLABLE_REF_SCHEMA,
            "customer": NULLABLE_REF_SCHEMA,
            "period_start": {"type": "string", "format": "date-time"},
            "period_end": {"type": "string", "format": "date-time"},
            "time_billed": MONEY_SCHEMA,
            "charges_billed": MONEY_SCHEMA,
            "amount": MONEY_SCHEMA,
            "invoice": NULLABLE_REF_SCHEMA,
            "invoice_number": {"type": ["string", "null"]},
            "lines": {"type": "array", "items": {"type": "object", "properties": {
                "description": {"type": "string"}, "quantity": {"type": "number"}, "price_unit": {"type": "number"},
                "amount": MONEY_SCHEMA,
            }}},
        },
    }

    def payload(self, record):
        currency = record.currency_id
        line = record.line_id
        return {
            "id": record.id,
            "rental": {"id": line.id, "external_ids": external_ids(line)},
            "rental_name": line.name or None,
            "equipment": ref(record.equipment_id),
            "project": ref(record.project_id),
            "customer": ref(line.partner_id),
            "period_start": record.period_start.isoformat() + "Z",
            "period_end": record.period_end.isoformat() + "Z",
            "time_billed": money(record.time_delta, currency),
            "charges_billed": money(record.charge_amount, currency),
            "amount": money(record.amount, currency),
            "invoice": ref(record.move_id),
            "invoice_number": record.move_id.name or None,
            "lines": [{
                "description": billing_line.name, "quantity": billing_line.quantity,
                "price_unit": billing_line.price_unit, "amount": money(billing_line.amount, currency),
            } for billing_line in record.billing_line_ids.sorted("sequence")],
        }


PUBLISHERS = [RentalInvoiced]
