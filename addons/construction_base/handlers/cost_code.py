from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.upsert import UpsertHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

_lt = LazyTranslate(__name__)


class CostCodeUpserted(UpsertHandler):
    event_type = "cost_code.upserted"
    summary = "A cost code of the work breakdown was created or changed (company-wide or for one project)."
    object_model = "construction.cost.code"
    schema = {
        "type": "object",
        "required": ["id", "code", "name"],
        "properties": {
            "id": EXTERNAL_ID,
            "code": {"type": "string", "minLength": 1, "maxLength": 64},
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "project_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                           "description": "External id of the project when the code is project-specific."},
            "active": {"type": "boolean"},
        },
    }
    example = {"id": "CC-033000", "code": "03 30 00", "name": "Cast-in-Place Concrete"}

    def _values(self, ctx):
        data = ctx.data
        values = {"code": data["code"], "name": data["name"], "company_id": ctx.company.id}
        if data.get("project_id") not in (None, ""):
            values["project_id"] = ctx.resolve("project.project", data["project_id"], _lt("project")).id
        else:
            values["project_id"] = False
        if "active" in data:
            values["active"] = data["active"]
        return values

    def _existing(self, ctx, values):
        cost_code = ctx.find("construction.cost.code", ctx.data["id"])
        if cost_code:
            return cost_code
        # A code entered by hand before the platform was connected is adopted, not duplicated.
        return ctx.env["construction.cost.code"].with_context(active_test=False).search([
            ("company_id", "=", values["company_id"]), ("project_id", "=", values["project_id"]),
            ("code", "=", values["code"]),
        ], limit=1)

    def _describe(self, ctx, values, existing):
        if existing:
            return ctx.env._("Update cost code %(code)s %(name)s", code=values["code"], name=values["name"])
        return ctx.env._("Create cost code %(code)s %(name)s", code=values["code"], name=values["name"])


HANDLERS = [CostCodeUpserted]
