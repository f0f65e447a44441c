from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, date_or_none, external_ids, money, ref,
)


PAY_APPLICATION_SCHEMA = {
    "type": "object",
    "required": ["id", "external_ids", "number", "name", "state", "project", "period_end",
                 "total_completed_stored", "retainage_total", "current_payment_due"],
    "properties": {
        "id": {"type": "integer"},
        "external_ids": {"type": "object"},
        "number": {"type": "integer"},
        "name": {"type": "string"},
        "state": {"type": "string"},
        "project": NULLABLE_REF_SCHEMA,
        "owner": NULLABLE_REF_SCHEMA,
        "period_end": {"type": "string", "format": "date"},
        "certified_date": {"type": ["string", "null"], "format": "date"},
        "contract_sum_to_date": MONEY_SCHEMA,
        "total_completed_stored": MONEY_SCHEMA,
        "retainage_total": MONEY_SCHEMA,
        "current_payment_due": MONEY_SCHEMA,
        "invoice": NULLABLE_REF_SCHEMA,
        "invoice_number": {"type": ["string", "null"]},
        "invoice_total": {"type": ["object", "null"], "properties": MONEY_SCHEMA["properties"]},
    },
}


class _PayApplication(OutboundEvent):
    model = "construction.pay.application"
    schema_version = 1
    schema = PAY_APPLICATION_SCHEMA

    def payload(self, record):
        currency = record.currency_id
        invoice = record.invoice_id
        return {
            "id": record.id,
            "external_ids": external_ids(record),
            "number": record.number,
            "name": record.name,
            "state": record.state,
            "project": ref(record.project_id),
            "owner": ref(record.partner_id),
            "period_end": date_or_none(record.period_end),
            "certified_date": date_or_none(record.certified_date),
            "contract_sum_to_date": money(record.contract_sum_to_date, currency),
            "total_completed_stored": money(record.total_completed_stored, currency),
            "retainage_total": money(record.retainage_total, currency),
            "current_payment_due": money(record.current_payment_due, currency),
            "invoice": ref(invoice),
            "invoice_number": invoice.name or None,
            "invoice_total": money(invoice.amount_total, invoice.currency_id) if invoice else None,
        }


class PayApplicationCertified(_PayApplication):
    type = "pay_application.certified"
    description = "A pay application (G702/G703) was certified: its figures are what the owner is told."


class PayApplicationInvoiced(_PayApplication):
    type = "pay_application.invoiced"
    description = "A certified pay application was invoiced (the invoice is posted)."


PUBLISHERS = [PayApplicationCertified, PayApplicationInvoiced]
