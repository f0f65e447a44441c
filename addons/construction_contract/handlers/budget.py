"""budget.approved / budget.revised: a project's cost budget from the estimating system.

`budget.approved` is the original budget (version 1); `budget.revised` a later version with its
reason, naming the cost codes whose budget it changes (the others keep theirs). Each event is its
own external object: the budget's id maps to version 1, each revision's id to its version. The
rules (one original, versions in order, a reason for a revision) live in construction.budget,
for a person entering a budget by hand as much as for the events."""

from odoo import Command
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, INTEGER_LIMIT, MONEY, QUANTITY

_lt = LazyTranslate(__name__)

LINES = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["cost_code_id", "amount"],
        "properties": {
            "cost_code_id": {**EXTERNAL_ID, "description": "External id of the cost code (see cost_code.upserted)."},
            "amount": {**MONEY, "minimum": 0, "description": "The cost code's budget in this version."},
            "quantity": {**QUANTITY, "type": ["number", "null"], "minimum": 0,
                         "description": "The estimate's quantity, in `unit`."},
            "unit": {"type": ["string", "null"], "maxLength": 16, "description": "e.g. CY, TON, SF, LS."},
        },
    },
}
PROJECT_ID = {**EXTERNAL_ID, "description": "External id of the project (see project.upserted)."}
DATE = {"type": ["string", "null"], "format": "date",
        "description": "The budget's date; the day it arrives by default."}


class BudgetHandler(EventHandler):
    object_model = "construction.budget"
    # Setting or moving a cost budget is a construction manager's decision when the approval
    # gate is turned on for these types; by default the estimating system's approval stands.
    approval_group = "construction_base.group_manager"

    def _resolve(self, ctx):
        """(project, [line values]) with every reference resolved: an unknown project or cost
        code keeps the event waiting (data error)."""
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        lines, seen = [], set()
        for line in data["lines"]:
            cost_code = ctx.resolve("construction.cost.code", line["cost_code_id"], _lt("cost code"))
            if cost_code.project_id and cost_code.project_id != project:
                raise SyncBusinessError(ctx.env._(
                    "Cost code %(code)s belongs to project %(owner)s, not to %(project)s.",
                    code=cost_code.display_name, owner=cost_code.project_id.display_name,
                    project=project.display_name,
                ))
            if cost_code in seen:
                raise SyncBusinessError(ctx.env._(
                    "Cost code %(code)s appears twice in budget %(budget)s: send one line per cost code.",
                    code=cost_code.display_name, budget=data["id"],
                ))
            seen.add(cost_code)
            lines.append({"cost_code_id": cost_code.id, "amount": line["amount"],
                          "quantity": line.get("quantity") or 0.0, "unit": line.get("unit") or False})
        return project, lines

    def _check_project(self, ctx, budget, project):
        if budget and budget.project_id != project:
            raise SyncBusinessError(ctx.env._(
                "Budget %(id)s belongs to project %(project)s in Odoo; it cannot move to %(new_project)s.",
                id=ctx.data["id"], project=budget.project_id.display_name, new_project=project.display_name,
            ))

    def _header(self, ctx):
        values = {"event_id": ctx.event.id}
        if ctx.data.get("date"):
            values["date"] = ctx.data["date"]
        return values


class BudgetApproved(BudgetHandler):
    """The original budget of a project (version 1). A second budget.approved, with the same id
    or another, replaces its lines while no revision is approved on top of it; after that the
    budget only moves by revisions."""

    event_type = "budget.approved"
    summary = "A project's original cost budget (version 1) was approved in the estimating system."
    schema = {
        "type": "object",
        "required": ["id", "project_id", "lines"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": PROJECT_ID,
            "date": DATE,
            "lines": LINES,
        },
    }
    example = {
        "id": "BUD-100", "project_id": "P-100", "date": "2026-11-02",
        "lines": [
            {"cost_code_id": "CC-033000", "amount": 455000.00, "quantity": 2400, "unit": "CY"},
            {"cost_code_id": "CC-051200", "amount": 720000.00, "quantity": 310, "unit": "TON"},
            {"cost_code_id": "CC-099100", "amount": 96000.00, "quantity": 64000, "unit": "SF"},
        ],
    }

    def _existing(self, ctx, project):
        # A budget keyed in by hand, or sent before under another id, is adopted, not doubled.
        return ctx.find("construction.budget", ctx.data["id"]) or ctx.env["construction.budget"].search(
            [("project_id", "=", project.id), ("version", "=", 1)], limit=1)

    def _check(self, ctx, budget, project):
        self._check_project(ctx, budget, project)
        if budget and budget.version != 1:
            raise SyncBusinessError(ctx.env._(
                "Budget %(id)s is version %(version)s of %(project)s in Odoo, not its original budget.",
                id=ctx.data["id"], version=budget.version, project=project.display_name))

    def prepare(self, ctx):
        project, lines = self._resolve(ctx)
        budget = self._existing(ctx, project)
        self._check(ctx, budget, project)
        if budget:
            budget._check_replaceable(lines)
        args = {"project": project.display_name, "total": sum(line["amount"] for line in lines), "n": len(lines)}
        if budget:
            return ctx.env._("Replace the original budget of %(project)s: %(n)s cost codes, %(total).2f", **args)
        return ctx.env._("Original budget of %(project)s: %(n)s cost codes, %(total).2f", **args)

    def apply(self, ctx):
        project, lines = self._resolve(ctx)
        budget = self._existing(ctx, project)
        self._check(ctx, budget, project)
        if budget:
            # Refused once revised, unless it changes nothing (a replay).
            budget._replace_lines(lines)
            if budget.state != "superseded":
                budget.write(self._header(ctx))
            if budget.state == "draft":
                budget.action_approve()
            return budget
        budget = ctx.env["construction.budget"].create({
            **self._header(ctx), "project_id": project.id, "version": 1,
            "item_ids": [Command.create(line) for line in lines],
        })
        budget.action_approve()
        return budget


class BudgetRevised(BudgetHandler):
    """A revision of a project's budget: a new version with its reason and the new budget of the
    cost codes it changes. It names the budget it revises: before that budget arrives, it waits."""

    event_type = "budget.revised"
    summary = "A project's cost budget was revised in the estimating system: a new version with its reason."
    schema = {
        "type": "object",
        "required": ["id", "budget_id", "project_id", "version", "reason", "lines"],
        "properties": {
            "id": {**EXTERNAL_ID, "description": "The estimating system's id of this revision."},
            "budget_id": {**EXTERNAL_ID, "description": "External id of the budget revised (see budget.approved)."},
            "project_id": PROJECT_ID,
            "version": {"type": "integer", "minimum": 2, "maximum": INTEGER_LIMIT,
                        "description": "The budget's version after this revision; higher than the current one."},
            "reason": {"type": "string", "minLength": 1, "maxLength": 2000},
            "date": DATE,
            "lines": {**LINES, "description": "The cost codes whose budget changes, with their new budget; the "
                                              "others keep theirs."},
        },
    }
    example = {
        "id": "BUD-100-R1", "budget_id": "BUD-100", "project_id": "P-100", "version": 2, "date": "2026-11-19",
        "reason": "Geotechnical report: deeper footings. 25,000.00 moved from structural steel to concrete.",
        "lines": [
            {"cost_code_id": "CC-033000", "amount": 480000.00, "quantity": 2530, "unit": "CY"},
            {"cost_code_id": "CC-051200", "amount": 695000.00, "quantity": 300, "unit": "TON"},
        ],
    }

    def _resolve_revision(self, ctx):
        project, lines = self._resolve(ctx)
        base = ctx.resolve("construction.budget", ctx.data["budget_id"], _lt("budget"))
        if base.project_id != project:
            raise SyncBusinessError(ctx.env._(
                "Budget %(budget)s belongs to project %(owner)s, not to %(project)s.",
                budget=ctx.data["budget_id"], owner=base.project_id.display_name, project=project.display_name))
        revision = ctx.find("construction.budget", ctx.data["id"])
        self._check_project(ctx, revision, project)
        if revision and revision.version != ctx.data["version"]:
            raise SyncBusinessError(ctx.env._(
                "Budget revision %(id)s is version %(version)s in Odoo; it cannot become version %(new)s.",
                id=ctx.data["id"], version=revision.version, new=ctx.data["version"]))
        if not revision:
            Budget = ctx.env["construction.budget"]
            # A draft of this version keyed in by hand is adopted, not doubled.
            revision = Budget.search([("project_id", "=", project.id), ("version", "=", ctx.data["version"]),
                                      ("state", "=", "draft")], limit=1)
            current = Budget._current_for(project)
            if not revision and current and ctx.data["version"] <= current.version:
                raise SyncBusinessError(ctx.env._(
                    "Budget revision %(id)s is version %(version)s but the budget of %(project)s is already at "
                    "version %(current)s: an older or equal version cannot be applied on top of it.",
                    id=ctx.data["id"], version=ctx.data["version"], project=project.display_name,
                    current=current.version))
        return project, lines, revision

    def prepare(self, ctx):
        project, lines, revision = self._resolve_revision(ctx)
        if revision:
            revision._check_replaceable(lines)
        current = ctx.env["construction.budget"]._current_for(project)
        before = {item.cost_code_id.id: item.amount for item in current.item_ids}
        change = sum(line["amount"] - before.get(line["cost_code_id"], 0.0) for line in lines)
        return ctx.env._(
            "Revise the budget of %(project)s to version %(version)s (%(change)+.2f): %(reason)s",
            project=project.display_name, version=ctx.data["version"], change=change, reason=ctx.data["reason"])

    def apply(self, ctx):
        project, lines, revision = self._resolve_revision(ctx)
        header = {**self._header(ctx), "reason": ctx.data["reason"]}
        if revision:
            # The same revision again: its lines are set again while it is the current version;
            # once superseded only a replay (the same lines) is accepted, and changes nothing.
            revision._replace_lines(lines)
            if revision.state != "superseded":
                revision.write(header)
            if revision.state == "draft":
                revision.action_approve()
            return revision
        revision = ctx.env["construction.budget"].create({
            **header, "project_id": project.id, "version": ctx.data["version"],
            "item_ids": [Command.create(line) for line in lines],
        })
        revision.action_approve()
        return revision


HANDLERS = [BudgetApproved, BudgetRevised]
