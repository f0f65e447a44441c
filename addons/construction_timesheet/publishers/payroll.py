from odoo.addons.construction_sync.sync.outbound import NULLABLE_REF_SCHEMA, OutboundEvent, ref


class PayrollPeriodClosed(OutboundEvent):
    type = "payroll.period_closed"
    model = "construction.payroll.period"
    description = ("A pay period was closed in Odoo: its crew hours are final, by employee, day, project, cost "
                   "code and pay type, for the payroll system to pay.")
    schema_version = 1
    schema = {
        "type": "object",
        "required": ["id", "date_from", "date_to", "lines"],
        "properties": {
            "id": {"type": "integer"},
            "date_from": {"type": "string", "format": "date"},
            "date_to": {"type": "string", "format": "date"},
            "closed_at": {"type": ["string", "null"]},
            "lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["employee", "date", "project", "cost_code", "pay_type", "hours"],
                    "properties": {
                        "employee": NULLABLE_REF_SCHEMA,
                        "date": {"type": "string", "format": "date"},
                        "project": NULLABLE_REF_SCHEMA,
                        "cost_code": {"type": ["string", "null"]},
                        "pay_type": {"type": "string", "enum": ["regular", "overtime", "double_time"]},
                        "hours": {"type": "number"},
                    },
                },
            },
        },
    }
    example = {"id": 3, "date_from": "2026-11-16", "date_to": "2026-11-22", "closed_at": "2026-11-23T16:00:00",
               "lines": [{"employee": {"id": 8, "external_ids": {"fieldlink": "E-4107"}}, "date": "2026-11-19",
                          "project": {"id": 5, "external_ids": {"fieldlink": "P-100"}}, "cost_code": "03 30 00",
                          "pay_type": "overtime", "hours": 2.0}]}

    def payload(self, record):
        totals = {}
        for line in record._timesheets():
            cost_code = line.construction_cost_code_id or line.task_id.cost_code_id
            key = (line.employee_id, line.date, line.project_id, cost_code.code or None,
                   line.construction_pay_type or "regular")
            totals[key] = totals.get(key, 0.0) + line.unit_amount
        return {
            "id": record.id,
            "date_from": record.date_from.isoformat(),
            "date_to": record.date_to.isoformat(),
            "closed_at": record.closed_on.isoformat() if record.closed_on else None,
            "lines": [{"employee": ref(employee), "date": day.isoformat(), "project": ref(project),
                       "cost_code": code, "pay_type": pay_type, "hours": round(hours, 2)}
                      for (employee, day, project, code, pay_type), hours in totals.items()],
        }


PUBLISHERS = [PayrollPeriodClosed]
