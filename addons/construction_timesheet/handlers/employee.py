from odoo.addons.construction_sync.sync.upsert import UpsertHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY


class EmployeeUpserted(UpsertHandler):
    event_type = "employee.upserted"
    summary = "A field employee was hired or changed in the HR or payroll system, with the wage the job cost uses."
    object_model = "hr.employee"
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "job_title": {"type": ["string", "null"], "maxLength": 255},
            "trade": {"type": ["string", "null"], "maxLength": 255, "description": "Craft or trade (carpenter, ...)."},
            "hourly_cost": {**MONEY, "minimum": 0, "description": "Base wage per regular hour, before burden."},
            "email": {"type": ["string", "null"], "maxLength": 255},
            "active": {"type": "boolean", "description": "false when the employee left the company."},
        },
    }
    example = {"id": "E-4107", "name": "Marco Alvarez", "job_title": "Carpenter Foreman", "trade": "Carpenter",
               "hourly_cost": 42.0, "email": "m.alvarez@example.com", "active": True}

    def _values(self, ctx):
        data = ctx.data
        values = {"name": data["name"], "company_id": ctx.company.id}
        if "job_title" in data or "trade" in data:
            values["job_title"] = data.get("job_title") or data.get("trade") or False
        if "hourly_cost" in data:
            values["hourly_cost"] = data["hourly_cost"]
        if "email" in data:
            values["work_email"] = data["email"] or False
        if "active" in data:
            values["active"] = data["active"]
        return values

    def _describe(self, ctx, _values, existing):
        if existing:
            return ctx.env._("Update employee %(name)s", name=ctx.data["name"])
        return ctx.env._("Create employee %(name)s", name=ctx.data["name"])


HANDLERS = [EmployeeUpserted]
