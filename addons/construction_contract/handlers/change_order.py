"""change_order.submitted / .approved / .rejected: one change order, three moments of its life.

The approval of a change order in the project platform is a financial decision, so
`change_order.approved` waits in the approval gate by default: a construction manager accepts it
in the cockpit and becomes the approver of record."""

from odoo import Command
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY

from . import mappings

_lt = LazyTranslate(__name__)

NULLABLE_ID = {**EXTERNAL_ID, "type": ["string", "integer", "null"]}

SCHEMA = {
    "type": "object",
    "required": ["id", "project_id", "number", "title", "kind", "lines"],
    "properties": {
        "id": EXTERNAL_ID,
        "project_id": {**EXTERNAL_ID, "description": "External id of the project (see project.upserted)."},
        "number": {"type": "string", "minLength": 1, "maxLength": 64},
        "title": {"type": "string", "minLength": 1, "maxLength": 255},
        "kind": {"type": "string", "enum": ["prime", "commitment"]},
        "commitment_id": {
            **NULLABLE_ID,
            "description": "External id of the commitment a commitment change order changes.",
        },
        "reason": {"type": ["string", "null"]},
        "lines": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["cost_code_id", "description", "amount"],
                "properties": {
                    "cost_code_id": EXTERNAL_ID,
                    "description": {"type": "string", "minLength": 1, "maxLength": 255},
                    "amount": {
                        **MONEY, "description": "Change of the contract or commitment; negative for a deduction.",
                    },
                    "budget_amount": {**MONEY, "description": "Change of the cost budget when it differs from amount."},
                },
            },
        },
    },
}

EXAMPLE = {
    "id": "CO-7781", "project_id": "P-100", "number": "PCO-014", "title": "Add fire sprinkler zone, level 3",
    "kind": "prime",
    "lines": [
        {"cost_code_id": "CC-211300", "description": "Sprinkler mains and heads", "amount": 48250.00},
        {"cost_code_id": "CC-099100", "description": "Patch and paint ceilings", "amount": 3120.50},
    ],
}


class ChangeOrderHandler(EventHandler):
    object_model = "construction.change.order"
    # Approving a contract change or certifying a billing is a construction manager's call.
    approval_group = "construction_base.group_manager"
    schema = SCHEMA
    example = EXAMPLE
    verb = None
    verb_label = None  # the verb in messages, translated

    def conflict_key(self, data):
        # Each change order event moves its project's stored totals (pending and approved
        # changes): two runners applying change orders of one project would meet on that row, one
        # failing and retrying. Submissions, not only approvals: in a full benchmark run the
        # approvals met the submissions still being applied.
        return "project.project:%s" % data["project_id"]

    def _values(self, ctx):
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        values = {
            "number": data["number"], "title": data["title"], "kind": data["kind"],
            "project_id": project.id, "company_id": ctx.company.id,
        }
        if data["kind"] == "commitment":
            if data.get("commitment_id") in (None, ""):
                raise SyncBusinessError(ctx.env._("Commitment change order %(number)s names no commitment_id.",
                                                  number=data["number"]))
            values["purchase_order_id"] = ctx.resolve("purchase.order", data["commitment_id"], _lt("commitment")).id
        if data.get("reason"):
            values["description"] = data["reason"]
        mappings.prefetch(ctx, "construction.cost.code", [line["cost_code_id"] for line in data["lines"]])
        lines = []
        for line in data["lines"]:
            line_values = {
                "cost_code_id": ctx.resolve("construction.cost.code", line["cost_code_id"], _lt("cost code")).id,
                "description": line["description"],
                "amount": line["amount"],
            }
            if "budget_amount" in line:
                line_values["budget_amount"] = line["budget_amount"]
            lines.append(line_values)
        values["line_ids"] = [Command.clear()] + [Command.create(line) for line in lines]
        project._construction_check_open(data["number"])
        return values

    def _existing(self, ctx, values):
        change_order = ctx.find("construction.change.order", ctx.data["id"])
        if change_order:
            return change_order
        # The number is unique per project: a change order keyed in by hand is adopted.
        return ctx.env["construction.change.order"].search(
            [("project_id", "=", values["project_id"]), ("number", "=", values["number"])], limit=1)

    def _check_changeable(self, change_order):
        if change_order.state in ("approved", "void"):
            env = change_order.env
            raise SyncBusinessError(env._(
                "Change order %(co)s is already %(state)s in Odoo and cannot be %(verb)s by a later event: void "
                "it in Odoo or send a new change order.",
                co=change_order.display_name, verb=self.verb_label,
                state=env._("approved") if change_order.state == "approved" else env._("void"),
            ))

    def _upsert(self, ctx, values):
        change_order = self._existing(ctx, values)
        if change_order:
            self._check_changeable(change_order)
            if change_order.state == "rejected":
                change_order.action_reset_to_draft()
            change_order.write(values)
        else:
            change_order = ctx.env["construction.change.order"].create(values)
        return change_order

    def prepare(self, ctx):
        values = self._values(ctx)
        change_order = self._existing(ctx, values)
        if change_order and not self._already_done(ctx, change_order):
            self._check_changeable(change_order)
        total, currency = self.approval_amount(ctx)
        return ctx.env._(
            "%(action)s change order %(number)s \"%(title)s\" (%(kind)s, %(total)s)",
            action=ctx.env._(self.verb_label).capitalize(), number=values["number"], title=values["title"],
            kind=ctx.env._("prime") if values["kind"] == "prime" else ctx.env._("commitment"),
            total=currency.format(total),
        )

    def approval_amount(self, ctx):
        project = ctx.find("project.project", ctx.data["project_id"])
        return sum(line["amount"] for line in ctx.data["lines"]), project.currency_id or ctx.company.currency_id

    def _already_done(self, _ctx, _change_order):
        return False


class ChangeOrderSubmitted(ChangeOrderHandler):
    event_type = "change_order.submitted"
    summary = "A change order was submitted for approval in the project platform."
    verb = "submitted"
    verb_label = _lt("submitted")

    def apply(self, ctx):
        change_order = self._upsert(ctx, self._values(ctx))
        if change_order.state == "draft":
            change_order.action_submit()
        return change_order


class ChangeOrderApproved(ChangeOrderHandler):
    event_type = "change_order.approved"
    summary = "A change order was approved: it moves the contract value and budget, or the commitment."
    verb = "approved"
    verb_label = _lt("approved")
    default_requires_approval = True

    def _already_done(self, ctx, change_order):
        # A replay of the very event that approved it is a no-op, not a second approval.
        return change_order.state == "approved" and change_order.approval_event_id == ctx.event

    def apply(self, ctx):
        values = self._values(ctx)
        existing = self._existing(ctx, values)
        if existing and self._already_done(ctx, existing):
            return existing
        change_order = self._upsert(ctx, values)
        acceptor = ctx.env["construction.sync.audit"].search(
            [("event_id", "=", ctx.event.id), ("action", "=", "accept")], order="id desc", limit=1).user_id
        change_order.action_approve()
        change_order.write({"approval_event_id": ctx.event.id, "approved_by_id": acceptor.id or ctx.env.uid})
        return change_order


class ChangeOrderRejected(ChangeOrderHandler):
    event_type = "change_order.rejected"
    summary = "A change order was rejected by the owner or the architect."
    verb = "rejected"
    verb_label = _lt("rejected")

    def _already_done(self, _ctx, change_order):
        return change_order.state == "rejected"

    def apply(self, ctx):
        values = self._values(ctx)
        existing = self._existing(ctx, values)
        if existing and existing.state == "rejected":
            existing.write({k: v for k, v in values.items() if k not in ("line_ids",)})
            return existing
        change_order = self._upsert(ctx, values)
        change_order.action_reject()
        return change_order


HANDLERS = [ChangeOrderSubmitted, ChangeOrderApproved, ChangeOrderRejected]
