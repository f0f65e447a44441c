from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.upsert import UpsertHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY, PERCENT

_lt = LazyTranslate(__name__)


class ProjectUpserted(UpsertHandler):
    event_type = "project.upserted"
    summary = "A construction project (job) was created or changed in the project platform."
    object_model = "project.project"
    # Approving a contract change or certifying a billing is a construction manager's call.
    approval_group = "construction_base.group_manager"
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "customer_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                            "description": "External id of the customer (see partner.upserted)."},
            "contract_value": {**MONEY, "minimum": 0},
            "retention_percent": PERCENT,
            "currency": {"type": "string", "format": "currency"},
        },
    }
    example = {"id": "P-100", "name": "Riverside Medical Office Building", "customer_id": "C-10",
               "contract_value": 4850000.00, "retention_percent": 10, "currency": "USD"}

    def _values(self, ctx):
        data = ctx.data
        values = {"name": data["name"], "company_id": ctx.company.id}
        if data.get("customer_id") not in (None, ""):
            values["partner_id"] = ctx.resolve("res.partner", data["customer_id"], _lt("customer")).id
        if "currency" in data and data["currency"] != ctx.company.currency_id.name:
            raise SyncBusinessError(ctx.env._(
                "Project %(project)s is in %(currency)s but %(company)s keeps its books in %(books)s: contracts "
                "in another currency are not supported.",
                project=data["id"], currency=data["currency"], company=ctx.company.name,
                books=ctx.company.currency_id.name,
            ))
        if "contract_value" in data:
            values["original_contract_value"] = data["contract_value"]
        if "retention_percent" in data:
            values["retention_percent"] = data["retention_percent"]
        return values

    def _describe(self, ctx, _values, existing):
        if existing:
            return ctx.env._("Update project %(name)s", name=ctx.data["name"])
        return ctx.env._("Create project %(name)s", name=ctx.data["name"])


HANDLERS = [ProjectUpserted]
