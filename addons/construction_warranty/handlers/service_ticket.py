from odoo import fields
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

from ..models.project_task import TICKET_KINDS

_lt = LazyTranslate(__name__)

HOURS = {"type": "number", "minimum": 0, "maximum": 24}


class ServiceTicketUpserted(EventHandler):
    event_type = "service_ticket.upserted"
    summary = ("A callback, inspection or warranty claim on a completed job, from the field service tool: a task "
               "of the project on its warranty cost code, in or out of warranty, with the hours spent on it.")
    object_model = "project.task"
    schema = {
        "type": "object",
        "required": ["id", "kind", "title", "reported_on"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                           "description": "External id of the completed project; else the customer's latest."},
            "customer_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                            "description": "External id of the customer, when the ticket names no project."},
            "kind": {"type": "string", "enum": [kind for kind, _label in TICKET_KINDS]},
            "title": {"type": "string", "minLength": 1, "maxLength": 255},
            "description": {"type": ["string", "null"], "maxLength": 10000},
            "reported_on": {"type": "string", "format": "date"},
            "status": {"type": "string", "enum": ["open", "done", "cancelled"]},
            "time_entries": {
                "type": "array",
                "description": "Every hour spent on the ticket so far; each upsert replaces the earlier list.",
                "items": {
                    "type": "object",
                    "required": ["employee_id", "date", "hours"],
                    "properties": {
                        "employee_id": EXTERNAL_ID,
                        "date": {"type": "string", "format": "date"},
                        "hours": HOURS,
                        "pay_type": {"type": "string", "enum": ["regular", "overtime", "double_time"]},
                    },
                },
            },
        },
    }
    example = {"id": "SVC-2291", "project_id": "P-100", "kind": "callback", "title": "Roof drain leaking, level 3",
               "reported_on": "2027-02-03", "status": "done",
               "time_entries": [{"employee_id": "E-4107", "date": "2027-02-04", "hours": 3.5, "pay_type": "regular"}]}

    def _project(self, ctx):
        data = ctx.data
        if data.get("project_id") not in (None, ""):
            project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        elif data.get("customer_id") not in (None, ""):
            customer = ctx.resolve("res.partner", data["customer_id"], _lt("customer"))
            project = ctx.env["project.project"].search([
                ("partner_id", "child_of", customer.commercial_partner_id.id),
                ("construction_completion_date", "!=", False)], order="construction_completion_date desc", limit=1)
            if not project:
                raise SyncBusinessError(ctx.env._("Customer %(customer)s has no completed project for ticket "
                                                  "%(ticket)s.", customer=customer.name, ticket=data["id"]))
        else:
            raise SyncBusinessError(ctx.env._("Ticket %(ticket)s names neither a project nor a customer.",
                                              ticket=data["id"]))
        if not project.construction_completion_date:
            # During construction a defect is punch-list work of the job, not a service ticket.
            raise SyncBusinessError(ctx.env._(
                "Project %(project)s has not reached substantial completion: ticket %(ticket)s can land once "
                "project.completed has arrived (retry it then).", project=project.name, ticket=data["id"]))
        return project

    def _timesheets(self, ctx, project, task, cost_code):
        lines = []
        for entry in ctx.data.get("time_entries") or []:
            employee = ctx.resolve("hr.employee", entry["employee_id"], _lt("employee"))
            if not entry["hours"]:
                continue
            if not employee.hourly_cost:
                raise SyncBusinessError(ctx.env._("Employee %(employee)s has no hourly cost.",
                                                  employee=employee.name))
            try:
                ctx.company._construction_check_labor_date(entry["date"])
            except UserError as exc:
                raise SyncBusinessError(exc.args[0]) from exc
            lines.append({"name": ctx.data["title"], "project_id": project.id, "task_id": task.id,
                          "employee_id": employee.id, "date": entry["date"], "unit_amount": entry["hours"],
                          "construction_cost_code_id": cost_code.id,
                          "construction_pay_type": entry.get("pay_type") or "regular"})
        return lines

    def prepare(self, ctx):
        project = self._project(ctx)
        return ctx.env._("Service ticket %(ticket)s on %(project)s", ticket=ctx.data["title"], project=project.name)

    def apply(self, ctx):
        data = ctx.data
        project = self._project(ctx)
        task = ctx.find("project.task", data["id"])
        if task and task.project_id != project:
            raise SyncBusinessError(ctx.env._("Ticket %(ticket)s is filed under %(project)s; it cannot move.",
                                              ticket=data["id"], project=task.project_id.name))
        cost_code = project._construction_warranty_cost_code()
        reported = fields.Date.to_date(data["reported_on"])
        values = {
            "name": data["title"], "project_id": project.id, "partner_id": project.partner_id.id,
            "construction_ticket_kind": data["kind"], "construction_reported_on": reported,
            "construction_in_warranty": bool(project.construction_warranty_end
                                             and reported <= project.construction_warranty_end),
            "cost_code_id": cost_code.id,
        }
        if "description" in data:
            values["description"] = data["description"] or False
        if data.get("status") in ("done", "cancelled"):
            values["state"] = "1_done" if data["status"] == "done" else "1_canceled"
        if task:
            old = task.timesheet_ids
            for date in set(old.mapped("date")):
                try:
                    ctx.company._construction_check_labor_date(date)
                except UserError as exc:
                    raise SyncBusinessError(exc.args[0]) from exc
            task.write(values)
        else:
            task = ctx.env["project.task"].create(values)
            old = ctx.env["account.analytic.line"]
        new = self._timesheets(ctx, project, task, cost_code)
        # The tool sends the ticket's whole time list each time: it replaces the earlier one.
        old.unlink()
        ctx.env["account.analytic.line"].create(new)
        return task


HANDLERS = [ServiceTicketUpserted]
