from odoo.addons.construction_sync.sync.outbound import (
    MONEY_SCHEMA, NULLABLE_REF_SCHEMA, OutboundEvent, external_ids, money, ref,
)


class ProjectCreated(OutboundEvent):
    type = "project.created"
    model = "project.project"
    description = ("A won opportunity became a project in Odoo: the project platform sets up the job under the "
                   "id it finds in external_ids (the one the sales team agreed with it).")
    schema_version = 1
    schema = {
        "type": "object",
        "required": ["id", "external_ids", "name", "customer", "contract_value", "retention_percent"],
        "properties": {
            "id": {"type": "integer"},
            "external_ids": {"type": "object"},
            "name": {"type": "string"},
            "customer": NULLABLE_REF_SCHEMA,
            "customer_name": {"type": ["string", "null"]},
            "contract_value": MONEY_SCHEMA,
            "retention_percent": {"type": "number"},
            "opportunity": NULLABLE_REF_SCHEMA,
            "budget": {
                "type": "array",
                "items": {"type": "object", "required": ["cost_code", "amount"],
                          "properties": {"cost_code": {"type": "string"}, "cost_code_ref": NULLABLE_REF_SCHEMA,
                                         "amount": MONEY_SCHEMA}},
            },
        },
    }
    example = {"id": 31, "external_ids": {"fieldlink": "P-500"}, "name": "Harbor View Clinic Fit-Out",
               "customer": {"id": 12, "external_ids": {"fieldlink": "C-10"}}, "customer_name": "Harbor Health",
               "contract_value": {"amount": 1238500.0, "currency": "USD"}, "retention_percent": 10.0,
               "opportunity": {"id": 45, "external_ids": {"crm": "OPP-8812"}},
               "budget": [{"cost_code": "06 10 00", "cost_code_ref": {"id": 7, "external_ids": {}},
                           "amount": {"amount": 186000.0, "currency": "USD"}}]}

    def payload(self, record):
        currency = record.currency_id
        budget = record.budget_ids.filtered(lambda b: b.version == 1)
        return {
            "id": record.id,
            "external_ids": external_ids(record),
            "name": record.name,
            "customer": ref(record.partner_id),
            "customer_name": record.partner_id.name or None,
            "contract_value": money(record.original_contract_value, currency),
            "retention_percent": record.retention_percent,
            "opportunity": ref(record.construction_lead_id),
            "budget": [{"cost_code": item.cost_code_id.code, "cost_code_ref": ref(item.cost_code_id),
                        "amount": money(item.amount, currency)} for item in budget.item_ids],
        }


PUBLISHERS = [ProjectCreated]
