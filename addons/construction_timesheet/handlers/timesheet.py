from odoo import Command
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

_lt = LazyTranslate(__name__)

# A day has 24 hours; more on one line is a typing error in the field, not a long shift.
HOURS = {"type": "number", "minimum": 0, "maximum": 24}
PAY_TYPES = ("regular", "overtime", "double_time")


class TimesheetApproved(EventHandler):
    event_type = "timesheet.approved"
    summary = ("A daily crew sheet was approved in the field: hours by employee, cost code or task and pay type, "
               "with the equipment used. A corrected sheet (same id) replaces the earlier one.")
    object_model = "construction.crew.sheet"
    schema = {
        "type": "object",
        "required": ["id", "project_id", "date", "lines"],
        "properties": {
            "id": {**EXTERNAL_ID, "description": "The crew sheet's id; a correction keeps it."},
            "project_id": {**EXTERNAL_ID, "description": "External id of the project (see project.upserted)."},
            "date": {"type": "string", "format": "date", "description": "The day worked."},
            "approved_by": {"type": ["string", "null"], "maxLength": 255},
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["employee_id", "hours"],
                    "properties": {
                        "employee_id": {**EXTERNAL_ID,
                                        "description": "External id of the employee (see employee.upserted)."},
                        "cost_code_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                                         "description": "External id of the cost code; or give task_id."},
                        "task_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                                    "description": "External id of a task carrying the cost code."},
                        "description": {"type": ["string", "null"], "maxLength": 255},
                        "hours": {
                            "type": "object",
                            "properties": {"regular": HOURS, "overtime": HOURS, "double_time": HOURS},
                            "additionalProperties": False,
                        },
                        "equipment": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {
                                    "id": {**EXTERNAL_ID, "type": ["string", "integer", "null"]},
                                    "name": {"type": "string", "minLength": 1, "maxLength": 255},
                                    "hours": HOURS,
                                },
                            },
                        },
                    },
                },
            },
        },
    }
    example = {
        "id": "CS-2026-11-23-F1", "project_id": "P-100", "date": "2026-11-23", "approved_by": "Dana Ortiz (Super)",
        "lines": [
            {"employee_id": "E-4107", "cost_code_id": "CC-033000", "description": "Form and pour level 2 deck",
             "hours": {"regular": 8, "overtime": 2},
             "equipment": [{"id": "EQ-320", "name": "CAT 320 Excavator", "hours": 3}]},
            {"employee_id": "E-4122", "cost_code_id": "CC-033000", "hours": {"regular": 8}},
        ],
    }

    def _lines(self, ctx, project):
        """(timesheet values, equipment values) for the sheet's lines, every reference resolved."""
        timesheets, equipment = [], []
        for line in ctx.data["lines"]:
            employee = ctx.resolve("hr.employee", line["employee_id"], _lt("employee"))
            task = ctx.env["project.task"]
            if line.get("task_id") not in (None, ""):
                task = ctx.resolve("project.task", line["task_id"], _lt("task"))
                if task.project_id != project:
                    raise SyncBusinessError(ctx.env._(
                        "Task %(task)s belongs to project %(owner)s, not to %(project)s.",
                        task=task.display_name, owner=task.project_id.name, project=project.name))
            if line.get("cost_code_id") not in (None, ""):
                cost_code = ctx.resolve("construction.cost.code", line["cost_code_id"], _lt("cost code"))
            else:
                cost_code = task.cost_code_id
            if not cost_code:
                raise SyncBusinessError(ctx.env._(
                    "The hours of %(employee)s name no cost code (nor a task with one): labor without a cost "
                    "code cannot reach the job cost.", employee=employee.name))
            if cost_code.project_id and cost_code.project_id != project:
                raise SyncBusinessError(ctx.env._(
                    "Cost code %(code)s belongs to project %(owner)s, not to %(project)s.",
                    code=cost_code.display_name, owner=cost_code.project_id.name, project=project.name))
            if not employee.hourly_cost:
                raise SyncBusinessError(ctx.env._(
                    "Employee %(employee)s has no hourly cost: the job cost would show the hours free. Send or "
                    "enter the wage, then retry.", employee=employee.name))
            label = line.get("description") or "%s %s" % (ctx.data["id"], cost_code.code)
            for pay_type in PAY_TYPES:
                hours = line["hours"].get(pay_type) or 0.0
                if hours:
                    timesheets.append({
                        "name": label, "project_id": project.id, "task_id": task.id or False,
                        "employee_id": employee.id, "date": ctx.data["date"], "unit_amount": hours,
                        "construction_cost_code_id": cost_code.id, "construction_pay_type": pay_type,
                    })
            equipment += [{"employee_id": employee.id, "external_ref": str(item["id"]) if item.get("id") else False,
                           "name": item["name"], "hours": item.get("hours") or 0.0}
                          for item in line.get("equipment") or []]
        if not timesheets:
            raise SyncBusinessError(ctx.env._("Crew sheet %(sheet)s has no hours.", sheet=ctx.data["id"]))
        return timesheets, equipment

    def _check_open(self, ctx, date):
        try:
            ctx.company._construction_check_labor_date(date)
        except UserError as exc:
            raise SyncBusinessError(exc.args[0]) from exc

    def _apply(self, ctx):
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        sheet = ctx.find("construction.crew.sheet", data["id"])
        self._check_open(ctx, data["date"])
        if sheet:
            # Correcting a sheet also takes its hours out of the day it was first approved for.
            self._check_open(ctx, sheet.date)
        timesheets, equipment = self._lines(ctx, project)
        values = {"project_id": project.id, "date": data["date"], "approved_by": data.get("approved_by") or False}
        if sheet:
            sheet.timesheet_ids.unlink()
            sheet.equipment_ids.unlink()
            sheet.write({**values, "revision": sheet.revision + 1})
        else:
            sheet = ctx.env["construction.crew.sheet"].create(
                {**values, "name": str(data["id"]), "company_id": ctx.company.id})
        sheet.write({"equipment_ids": [Command.create(item) for item in equipment]})
        ctx.env["account.analytic.line"].create([{**line, "construction_crew_sheet_id": sheet.id}
                                                 for line in timesheets])
        return sheet

    def prepare(self, ctx):
        sheet = self._apply(ctx)
        return ctx.env._("Crew sheet %(sheet)s on %(project)s, %(date)s: %(hours)s hours, loaded cost %(cost)s",
                         sheet=sheet.name, project=sheet.project_id.name, date=sheet.date,
                         hours=sheet.total_hours, cost=sheet.currency_id.format(sheet.labor_cost))

    def apply(self, ctx):
        return self._apply(ctx)


HANDLERS = [TimesheetApproved]
