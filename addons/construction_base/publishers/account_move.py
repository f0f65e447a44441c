from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, date_or_none, external_ids, money, ref,
)

DOCUMENT_SCHEMA = {
    "type": "object",
    "required": ["id", "external_ids", "number", "move_type", "partner", "project", "date", "amount_untaxed",
                 "amount_tax", "amount_total", "amount_residual", "payment_state"],
    "properties": {
        "id": {"type": "integer"},
        "external_ids": {"type": "object"},
        "number": {"type": "string"},
        "move_type": {"type": "string", "enum": ["out_invoice", "out_refund", "in_invoice", "in_refund"]},
        "reference": {"type": ["string", "null"]},
        "origin": {"type": ["string", "null"]},
        "partner": NULLABLE_REF_SCHEMA,
        "project": NULLABLE_REF_SCHEMA,
        "date": {"type": ["string", "null"], "format": "date"},
        "due_date": {"type": ["string", "null"], "format": "date"},
        "amount_untaxed": MONEY_SCHEMA,
        "amount_tax": MONEY_SCHEMA,
        "amount_total": MONEY_SCHEMA,
        "amount_residual": MONEY_SCHEMA,
        "payment_state": {"type": "string", "enum": [
            "not_paid", "in_payment", "paid", "partial", "reversed", "invoicing_legacy", "blocked"]},
    },
}
EXAMPLE = {"id": 81, "external_ids": {}, "number": "INV/2026/00042", "move_type": "out_invoice",
           "reference": "PA-100-3", "origin": "PA-100-3 / Riverside MOB",
           "partner": {"id": 12, "external_ids": {"field": "C-100"}},
           "project": {"id": 7, "external_ids": {"field": "P-100"}},
           "date": "2026-11-30", "due_date": "2026-12-30",
           "amount_untaxed": {"amount": 90000.0, "currency": "USD"}, "amount_tax": {"amount": 0.0, "currency": "USD"},
           "amount_total": {"amount": 90000.0, "currency": "USD"},
           "amount_residual": {"amount": 90000.0, "currency": "USD"}, "payment_state": "not_paid"}


class _Document(OutboundEvent):
    model = "account.move"
    schema_version = 1
    schema = DOCUMENT_SCHEMA
    example = EXAMPLE

    def payload(self, record):
        currency = record.currency_id
        project = record["construction_project_id"]
        return {
            "id": record.id,
            "external_ids": external_ids(record),
            "number": record.name,
            "move_type": record.move_type,
            "reference": record.ref or None,
            "origin": record.invoice_origin or None,
            "partner": ref(record.commercial_partner_id),
            "project": ref(project),
            "date": date_or_none(record.invoice_date),
            "due_date": date_or_none(record.invoice_date_due),
            # Signed as the document shows them: a credit note's amounts are positive.
            "amount_untaxed": money(record.amount_untaxed, currency),
            "amount_tax": money(record.amount_tax, currency),
            "amount_total": money(record.amount_total, currency),
            "amount_residual": money(record.amount_residual, currency),
            "payment_state": record.payment_state,
        }


class InvoicePosted(_Document):
    type = "invoice.posted"
    description = "A customer invoice or credit note was posted."


class InvoicePaymentChanged(_Document):
    type = "invoice.payment_changed"
    description = ("A posted customer invoice's payment status changed: paid, partially paid, in payment, reversed, "
                   "or back to not paid.")


class BillPosted(_Document):
    type = "bill.posted"
    description = "A vendor bill or refund was posted."


class BillPaymentChanged(_Document):
    type = "bill.payment_changed"
    description = ("A posted vendor bill's payment status changed: paid, partially paid, in payment, reversed, "
                   "or back to not paid.")


PUBLISHERS = [InvoicePosted, InvoicePaymentChanged, BillPosted, BillPaymentChanged]
