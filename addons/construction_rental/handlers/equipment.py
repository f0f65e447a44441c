from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.upsert import UpsertHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY

_lt = LazyTranslate(__name__)

RATE = {**MONEY, "minimum": 0}


class EquipmentUpserted(UpsertHandler):
    event_type = "equipment.upserted"
    summary = "A machine of the fleet (owned or rented in) was created or changed, with its list rates."
    object_model = "maintenance.equipment"
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "serial": {"type": ["string", "null"], "maxLength": 128},
            "ownership": {"type": "string", "enum": ["owned", "rented_in"]},
            "vendor_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                          "description": "External id of the vendor a rented-in machine comes from."},
            "rates": {
                "type": "object",
                "properties": {"hour": RATE, "day": RATE, "week": RATE, "month": RATE},
                "additionalProperties": False,
            },
            "ownership_cost_rate": {**RATE, "description": "Daily ownership cost, the rate of internal charges."},
        },
    }
    example = {"id": "EQ-320", "name": "CAT 320 Excavator", "serial": "CAT0320GXKR01234", "ownership": "owned",
               "rates": {"hour": 95.0, "day": 650.0, "week": 2600.0, "month": 7800.0}, "ownership_cost_rate": 310.0}

    def _values(self, ctx):
        data = ctx.data
        values = {"name": data["name"], "company_id": ctx.company.id}
        if "serial" in data:
            values["serial_no"] = data["serial"] or False
        if "ownership" in data:
            values["construction_ownership"] = data["ownership"]
        if data.get("vendor_id") not in (None, ""):
            values["partner_id"] = ctx.resolve("res.partner", data["vendor_id"], _lt("vendor")).id
        for basis, rate in data.get("rates", {}).items():
            values["rate_%s" % basis] = rate
        if "ownership_cost_rate" in data:
            values["ownership_cost_rate"] = data["ownership_cost_rate"]
        return values

    def _describe(self, ctx, _values, existing):
        if existing:
            return ctx.env._("Update equipment %(name)s", name=ctx.data["name"])
        return ctx.env._("Create equipment %(name)s", name=ctx.data["name"])


HANDLERS = [EquipmentUpserted]
