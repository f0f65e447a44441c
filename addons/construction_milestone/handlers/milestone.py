from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, PERCENT
from odoo.addons.construction_sync.sync.schema import parse_datetime, to_utc

_lt = LazyTranslate(__name__)


class MilestoneCompleted(EventHandler):
    event_type = "milestone.completed"
    summary = ("A project milestone was completed and approved in the project platform; a billable one becomes "
               "ready to bill, with who approved it and when.")
    object_model = "project.milestone"
    approval_group = "construction_base.group_manager"
    schema = {
        "type": "object",
        "required": ["id", "project_id", "name", "completed_on"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": {**EXTERNAL_ID, "description": "External id of the project (see project.upserted)."},
            "name": {"type": "string", "minLength": 1, "maxLength": 255,
                     "description": "Matches a milestone of the project set up in Odoo by this name."},
            "completed_on": {"type": "string", "format": "date"},
            "approved_by": {"type": ["string", "null"], "maxLength": 255},
            "approved_at": {"type": "string", "format": "date-time"},
            "billing_percent": {**PERCENT, "description": "The share of the contract it bills, for a milestone "
                                                          "Odoo does not have yet."},
        },
    }
    example = {"id": "MS-100-4", "project_id": "P-100", "name": "Structure topped out", "completed_on": "2026-11-20",
               "approved_by": "R. Chen, Owner's Representative", "approved_at": "2026-11-20T16:45:00Z",
               "billing_percent": 15}

    def _milestone(self, ctx, project):
        milestone = ctx.find("project.milestone", ctx.data["id"])
        if milestone and milestone.project_id != project:
            raise SyncBusinessError(ctx.env._(
                "Milestone %(milestone)s belongs to %(project)s; it cannot move to another project.",
                milestone=ctx.data["id"], project=milestone.project_id.name))
        if not milestone:
            # Set up in Odoo with its billing terms before the platform reports it: matched by name.
            milestone = ctx.env["project.milestone"].search(
                [("project_id", "=", project.id), ("name", "=ilike", ctx.data["name"])], limit=1)
        return milestone

    def prepare(self, ctx):
        project = ctx.resolve("project.project", ctx.data["project_id"], _lt("project"))
        milestone = self._milestone(ctx, project)
        if milestone.construction_billable and project.construction_bill_by_milestone:
            return ctx.env._("Milestone %(name)s reached: bills %(amount)s", name=ctx.data["name"],
                             amount=project.currency_id.format(milestone.construction_amount))
        return ctx.env._("Milestone %(name)s reached", name=ctx.data["name"])

    def apply(self, ctx):
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        milestone = self._milestone(ctx, project)
        values = {"name": data["name"], "deadline": milestone.deadline or data["completed_on"]}
        if "billing_percent" in data and not milestone.construction_invoice_id:
            values.update(construction_billable=bool(data["billing_percent"]),
                          construction_billing_percent=data["billing_percent"])
        if milestone:
            milestone.write(values)
        else:
            milestone = ctx.env["project.milestone"].create({**values, "project_id": project.id})
        approved_at = data.get("approved_at")
        approved_at = to_utc(parse_datetime(approved_at)) if approved_at else \
            ctx.event.source_timestamp
        milestone._construction_reach(data.get("approved_by") or ctx.system.name, approved_at,
                                      date=data["completed_on"], event=ctx.event)
        return milestone


HANDLERS = [MilestoneCompleted]
