from odoo import Command
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY, PERCENT

_lt = LazyTranslate(__name__)


class OpportunityWon(EventHandler):
    event_type = "opportunity.won"
    summary = ("An opportunity was won in an external CRM: Odoo records it won and creates the project shell "
               "once (customer, contract value, retention, estimate budget, the project platform's id).")
    object_model = "crm.lead"
    # Creating a contract is a construction manager's call when approval is switched on.
    approval_group = "construction_base.group_manager"
    schema = {
        "type": "object",
        "required": ["id", "name", "customer_id"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "customer_id": {**EXTERNAL_ID, "description": "External id of the customer (see partner.upserted)."},
            "expected_revenue": {**MONEY, "minimum": 0},
            "signed_amount": {**MONEY, "minimum": 0,
                              "description": "The signed contract's amount; the contract value when given."},
            "retention_percent": PERCENT,
            "currency": {"type": "string", "format": "currency"},
            "project_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                           "description": "The id the project platform will use for the job."},
            "project_system": {"type": ["string", "null"], "maxLength": 64,
                               "description": "Code of the project platform's system in Odoo; this system by "
                                              "default."},
            "estimate": {
                "type": "array",
                "description": "The estimator's budget by cost code.",
                "items": {
                    "type": "object",
                    "required": ["cost_code_id", "amount"],
                    "properties": {
                        "cost_code_id": EXTERNAL_ID,
                        "amount": {**MONEY, "minimum": 0},
                        "quantity": {"type": "number", "minimum": 0, "maximum": 999999999},
                        "unit": {"type": ["string", "null"], "maxLength": 16},
                    },
                },
            },
        },
    }
    example = {
        "id": "OPP-8812", "name": "Harbor View Clinic Fit-Out", "customer_id": "C-10", "expected_revenue": 1250000.0,
        "signed_amount": 1238500.0, "retention_percent": 10, "currency": "USD", "project_id": "P-500",
        "project_system": "fieldlink",
        "estimate": [{"cost_code_id": "CC-033000", "amount": 210000.0, "quantity": 850, "unit": "CY"}],
    }

    def _values(self, ctx):
        data = ctx.data
        customer = ctx.resolve("res.partner", data["customer_id"], _lt("customer"))
        if "currency" in data and data["currency"] != ctx.company.currency_id.name:
            raise SyncBusinessError(ctx.env._(
                "Opportunity %(opportunity)s is in %(currency)s but %(company)s keeps its books in %(books)s.",
                opportunity=data["id"], currency=data["currency"], company=ctx.company.name,
                books=ctx.company.currency_id.name))
        system = ctx.system
        if data.get("project_system"):
            system = ctx.env["construction.sync.system"].with_context(active_test=False).search(
                [("code", "=", data["project_system"])], limit=1)
            if not system:
                raise SyncBusinessError(ctx.env._("No external system with code %(code)s is configured.",
                                                  code=data["project_system"]))
        lines = []
        for line in data.get("estimate") or []:
            cost_code = ctx.resolve("construction.cost.code", line["cost_code_id"], _lt("cost code"))
            lines.append({"cost_code_id": cost_code.id, "amount": line["amount"],
                          "quantity": line.get("quantity") or 0.0, "unit": line.get("unit") or False})
        values = {"name": data["name"], "type": "opportunity", "partner_id": customer.id,
                  "company_id": ctx.company.id}
        for key, field in (("expected_revenue", "expected_revenue"), ("signed_amount", "construction_signed_amount"),
                           ("retention_percent", "construction_retention_percent")):
            if key in data:
                values[field] = data[key]
        if data.get("project_id") not in (None, ""):
            values.update(construction_project_ref=str(data["project_id"]), construction_system_id=system.id)
        return values, lines

    def prepare(self, ctx):
        values, _lines = self._values(ctx)
        lead = ctx.find("crm.lead", ctx.data["id"])
        if lead.construction_project_id:
            return ctx.env._("Opportunity %(name)s is already won into project %(project)s: update the opportunity",
                             name=values["name"], project=lead.construction_project_id.name)
        return ctx.env._("Win opportunity %(name)s and create its project", name=values["name"])

    def apply(self, ctx):
        values, lines = self._values(ctx)
        lead = ctx.find("crm.lead", ctx.data["id"])
        if lead.construction_project_id:
            # Won before: the project is the contract now, and the project platform owns it.
            values.pop("construction_project_ref", None)
            values.pop("construction_system_id", None)
            lead.write(values)
            return lead
        values["construction_estimate_line_ids"] = [Command.clear()] + [Command.create(line) for line in lines]
        if lead:
            lead.write(values)
        else:
            lead = ctx.env["crm.lead"].create(values)
        lead.action_set_won()
        return lead


HANDLERS = [OpportunityWon]
