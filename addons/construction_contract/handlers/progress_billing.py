from odoo import Command
from odoo.exceptions import UserError

from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, INTEGER_LIMIT, MONEY, PERCENT

from . import batch, mappings

_lt = LazyTranslate(__name__)


class ProgressBillingCertified(EventHandler):
    event_type = "progress_billing.certified"
    summary = "A pay application (AIA G702/G703 progress billing) was certified in the project platform."
    object_model = "construction.pay.application"
    # Approving a contract change or certifying a billing is a construction manager's call.
    approval_group = "construction_base.group_manager"
    # It creates what the owner will be invoiced: an accountant looks before it lands.
    default_requires_approval = True
    schema = {
        "type": "object",
        "required": ["id", "project_id", "application_number", "period_end", "lines"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": {**EXTERNAL_ID, "description": "External id of the project (see project.upserted)."},
            "application_number": {"type": "integer", "minimum": 1, "maximum": INTEGER_LIMIT},
            "period_end": {"type": "string", "format": "date"},
            "retention_percent": {**PERCENT, "description": "Retainage on completed work; the project's by default."},
            "materials_retention_percent": {
                **PERCENT, "description": "Retainage on stored materials; retention_percent by default.",
            },
            "lines": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["cost_code_id", "scheduled_value", "work_completed_this_period"],
                    "properties": {
                        "cost_code_id": {**EXTERNAL_ID, "description": "External id of the cost code."},
                        "description": {"type": ["string", "null"], "maxLength": 255},
                        "scheduled_value": {**MONEY, "minimum": 0},
                        "work_completed_this_period": {
                            **MONEY, "description": "Including stored materials installed this period.",
                        },
                        "materials_stored": {
                            **MONEY, "minimum": 0,
                            "description": "Materials stored and not yet installed at the end of the period.",
                        },
                    },
                },
            },
        },
    }
    example = {
        "id": "PA-100-3", "project_id": "P-100", "application_number": 3, "period_end": "2026-10-31",
        "retention_percent": 10, "materials_retention_percent": 5,
        "lines": [
            {"cost_code_id": "CC-033000", "description": "Cast-in-place concrete", "scheduled_value": 420000.00,
             "work_completed_this_period": 63500.00, "materials_stored": 0},
            {"cost_code_id": "CC-051200", "description": "Structural steel", "scheduled_value": 615000.00,
             "work_completed_this_period": 48200.00, "materials_stored": 37850.00},
        ],
    }

    def _values(self, ctx):
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        mappings.prefetch(ctx, "construction.cost.code", [line["cost_code_id"] for line in data["lines"]])
        lines, seen = [], set()
        for index, line in enumerate(data["lines"]):
            cost_code = ctx.resolve("construction.cost.code", line["cost_code_id"], _lt("cost code"))
            if cost_code.project_id and cost_code.project_id != project:
                raise SyncBusinessError(ctx.env._(
                    "Cost code %(code)s belongs to project %(owner)s, not to %(project)s.",
                    code=cost_code.display_name, owner=cost_code.project_id.name, project=project.name,
                ))
            if cost_code in seen:
                raise SyncBusinessError(ctx.env._("Cost code %(code)s appears twice in the lines.",
                                                  code=cost_code.display_name))
            seen.add(cost_code)
            lines.append({
                "sequence": 10 * (index + 1),
                "cost_code_id": cost_code.id,
                "description": line.get("description") or cost_code.name,
                "scheduled_value": line["scheduled_value"],
                "work_completed_this_period": line["work_completed_this_period"],
                "materials_stored": line.get("materials_stored") or 0.0,
            })
        retention = data.get("retention_percent", project.retention_percent)
        return {
            "project_id": project.id,
            "number": data["application_number"],
            "period_end": data["period_end"],
            "retention_percent": retention,
            "materials_retention_percent": data.get("materials_retention_percent", retention),
        }, lines

    def _same(self, application, values, lines):
        """Whether an invoiced application already says what the event says (a replay)."""
        currency = application.currency_id

        def key(line):
            return (line["cost_code_id"], line["description"] or "",
                    currency.round(line["scheduled_value"]), currency.round(line["work_completed_this_period"]),
                    currency.round(line["materials_stored"]))

        mine = {key({name: line[name].id if name == "cost_code_id" else line[name] for name in
                     ("cost_code_id", "description", "scheduled_value", "work_completed_this_period",
                      "materials_stored")})
                for line in application.line_ids}
        return (
            application.number == values["number"]
            and str(application.period_end) == values["period_end"]
            and application.retention_percent == values["retention_percent"]
            and application.materials_retention_percent == values["materials_retention_percent"]
            and {key(line) for line in lines} <= mine
        )

    def _certify(self, ctx):
        values, lines = self._values(ctx)
        Application = ctx.env["construction.pay.application"]
        application = ctx.find("construction.pay.application", ctx.data["id"])
        if application:
            if application.project_id.id != values["project_id"]:
                raise SyncBusinessError(ctx.env._(
                    "Pay application %(application)s belongs to %(project)s; it cannot move to another project.",
                    application=ctx.data["id"], project=application.project_id.name,
                ))
            if application.state == "invoiced":
                if self._same(application, values, lines):
                    return application
                raise SyncBusinessError(ctx.env._(
                    "%(application)s is already invoiced (%(invoice)s) and cannot change; send the correction "
                    "as the next application.",
                    application=application.display_name, invoice=application.invoice_id.name,
                ))
            if application.state == "cancelled":
                raise SyncBusinessError(ctx.env._(
                    "%(application)s was cancelled in Odoo; it cannot be certified again.",
                    application=application.display_name,
                ))
        clash = Application.search([("project_id", "=", values["project_id"]), ("number", "=", values["number"]),
                                    ("id", "!=", application.id)], limit=1)
        if clash:
            raise SyncBusinessError(ctx.env._(
                "%(application)s already exists in Odoo (not from this event's pay application %(external)s).",
                application=clash.display_name, external=ctx.data["id"],
            ))
        try:
            if application:
                if application.state == "certified":
                    application.action_reset_to_draft()
                by_code = {line.cost_code_id.id: line for line in application.line_ids}
                commands = [Command.update(by_code[line["cost_code_id"]].id, line) if line["cost_code_id"] in by_code
                            else Command.create(line) for line in lines]
                wanted = {line["cost_code_id"] for line in lines}
                commands += [Command.delete(line.id) for code, line in by_code.items() if code not in wanted]
                application.write({**values, "line_ids": commands})
                application._carry_forward()
            else:
                application = Application.create({**values, "line_ids": [Command.create(line) for line in lines]})
            application.action_certify()
        except UserError as exc:
            # The model's own rules (over the scheduled value, certification order) refuse it.
            raise SyncBusinessError(exc.args[0]) from exc
        return application

    def prepare(self, ctx):
        # Applying is the only complete check of the billing rules; the engine rolls this back
        # before the event waits for approval.
        application = self._certify(ctx)
        currency = application.currency_id
        return ctx.env._(
            "Certify %(application)s: billed this period %(billed)s, retainage %(retainage)s, current payment "
            "due %(due)s",
            application=application.display_name, billed=currency.format(application.amount_this_period),
            retainage=currency.format(application.retainage_this_period),
            due=currency.format(application.current_payment_due),
        )

    def apply(self, ctx):
        return self._certify(ctx)

    # New pay applications of a claim are created together, in one create with all their lines,
    # then certified one by one. An application carries forward its project's previous one, so
    # two of one project, an update of a known one, or anything unusual send the claim back to
    # the engine, which then applies its events one by one.
    batchable = True

    def apply_batch(self, contexts):
        if len({(ctx.system, ctx.company, ctx.env.lang) for ctx in contexts}) > 1:
            # Each event's system is told of nothing its own event did; a batch would hide the
            # changes of all from all. Its records are also created in one language.
            raise SyncBusinessError("several systems, companies or languages: applied one by one")
        Application = contexts[0].env["construction.pay.application"]
        plans, projects, ordered = [], set(), batch.in_source_order(contexts)
        for ctx in ordered:
            values, lines = self._values(ctx)
            if ctx.find("construction.pay.application", ctx.data["id"]) or values["project_id"] in projects:
                raise SyncBusinessError("an update, or two applications of one project: applied one by one")
            projects.add(values["project_id"])
            if Application.search_count([("project_id", "=", values["project_id"]),
                                         ("number", "=", values["number"])], limit=1):
                raise SyncBusinessError("a clash with an application in Odoo: applied one by one")
            plans.append({**values, "line_ids": [Command.create(line) for line in lines]})
        applications = Application.create(plans)
        for application in applications:
            application.action_certify()
        return batch.in_given_order(contexts, ordered, applications)


HANDLERS = [ProgressBillingCertified]
