from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

_lt = LazyTranslate(__name__)


class ProjectCompleted(EventHandler):
    event_type = "project.completed"
    summary = ("A job reached substantial completion: the warranty period starts and the retention release "
               "falls due per the contract's terms.")
    # The event is about the project: it keeps the project's order with project.upserted.
    object_model = "project.project"
    approval_group = "construction_base.group_manager"
    schema = {
        "type": "object",
        "required": ["project_id", "substantial_completion_date"],
        "properties": {
            "project_id": {**EXTERNAL_ID, "description": "External id of the project (see project.upserted)."},
            "substantial_completion_date": {"type": "string", "format": "date"},
            "warranty_months": {"type": "integer", "minimum": 0, "maximum": 240,
                                "description": "The contract's warranty; the project's (12 by default) when absent."},
        },
    }
    example = {"project_id": "P-100", "substantial_completion_date": "2026-11-20", "warranty_months": 12}

    def object_external_id(self, data):
        return data["project_id"]

    def prepare(self, ctx):
        project = ctx.resolve("project.project", ctx.data["project_id"], _lt("project"))
        return ctx.env._("%(project)s substantially complete on %(date)s: warranty starts, retention release due",
                         project=project.name, date=ctx.data["substantial_completion_date"])

    def apply(self, ctx):
        project = ctx.resolve("project.project", ctx.data["project_id"], _lt("project"))
        project._construction_complete(ctx.data["substantial_completion_date"], ctx.data.get("warranty_months"))
        return project


HANDLERS = [ProjectCompleted]
