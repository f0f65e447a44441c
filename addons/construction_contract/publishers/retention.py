from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, date_or_none, external_ids, money, ref,
)


class RetentionReleased(OutboundEvent):
    type = "retention.released"
    model = "account.move"
    description = ("Retention held on a project was released to a customer (an invoice) or a subcontractor "
                   "(a bill), naming the documents whose retention it releases.")
    schema_version = 1
    schema = {
        "type": "object",
        "required": ["id", "external_ids", "number", "side", "partner", "project", "amount_released", "amount_total",
                     "releases"],
        "properties": {
            "id": {"type": "integer"},
            "external_ids": {"type": "object"},
            "number": {"type": "string"},
            "side": {"type": "string", "enum": ["receivable", "payable"]},
            "partner": NULLABLE_REF_SCHEMA,
            "project": NULLABLE_REF_SCHEMA,
            "date": {"type": ["string", "null"], "format": "date"},
            "amount_released": MONEY_SCHEMA,
            "amount_total": MONEY_SCHEMA,
            "releases": {"type": "array", "items": {"type": "object", "properties": {
                "document": NULLABLE_REF_SCHEMA, "number": {"type": ["string", "null"]}, "amount": MONEY_SCHEMA,
            }}},
        },
    }

    def payload(self, record):
        currency = record.currency_id
        lines = record.invoice_line_ids.filtered(lambda line: line.construction_retention == "released")
        return {
            "id": record.id,
            "external_ids": external_ids(record),
            "number": record.name,
            "side": "receivable" if record.move_type in ("out_invoice", "out_refund") else "payable",
            "partner": ref(record.commercial_partner_id),
            "project": ref(record.construction_project_id),
            "date": date_or_none(record.invoice_date),
            "amount_released": money(sum(lines.mapped("price_subtotal")), currency),
            "amount_total": money(record.amount_total, currency),
            "releases": [{
                "document": ref(line.construction_retention_source_id),
                "number": line.construction_retention_source_id.name or None,
                "amount": money(line.price_subtotal, currency),
            } for line in lines],
        }


PUBLISHERS = [RetentionReleased]
