"""Document control events: submittal statuses and drawing revisions, which release or hold the
purchase lines the submittals cover (see construction.submittal)."""

from odoo import Command
from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

_lt = LazyTranslate(__name__)

SUBMITTAL = "construction.submittal"
STATUS_ENUM = ["pending", "approved", "approved_as_noted", "revise_resubmit", "rejected", "superseded"]


class SubmittalStatusChanged(EventHandler):
    event_type = "submittal.status_changed"
    summary = ("A submittal revision was submitted or reviewed; approval releases its purchase lines, "
               "anything else holds them.")
    object_model = SUBMITTAL
    schema = {
        "type": "object",
        "required": ["id", "project_id", "number", "revision", "status"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": EXTERNAL_ID,
            "number": {"type": "string", "minLength": 1, "maxLength": 64},
            "revision": {"type": ["string", "integer"], "minLength": 1, "maxLength": 16, "minimum": 0},
            "status": {"type": "string", "enum": STATUS_ENUM},
            "title": {"type": "string", "minLength": 1, "maxLength": 255},
            "spec_section": {"type": ["string", "null"], "maxLength": 64},
            "purchase_line_ids": {"type": "array", "items": EXTERNAL_ID,
                                  "description": "External ids of the purchase order lines the submittal covers "
                                                 "(the whole set; omitted keeps the current links)."},
        },
    }
    example = {"id": "SUB-88", "project_id": "P-100", "number": "03 20 00-001", "revision": "1",
               "status": "approved", "title": "Rebar shop drawings, level 2 deck", "spec_section": "03 20 00",
               "purchase_line_ids": ["POL-4410", "POL-4411"]}

    def _values(self, ctx):
        data = ctx.data
        project = ctx.resolve("project.project", data["project_id"], _lt("project"))
        values = {"project_id": project.id, "number": data["number"], "company_id": ctx.company.id}
        for field in ("title", "spec_section"):
            if field in data:
                values[field] = data[field] or False
        if "purchase_line_ids" in data:
            lines = [ctx.resolve("purchase.order.line", line_id, _lt("purchase order line")).id
                     for line_id in data["purchase_line_ids"]]
            values["purchase_line_ids"] = [Command.set(lines)]
        return values

    def _existing(self, ctx, values):
        submittal = ctx.find(SUBMITTAL, ctx.data["id"])
        if submittal:
            return submittal
        # A submittal typed into the register before the platform was connected is adopted.
        return ctx.env[SUBMITTAL].search([("company_id", "=", values["company_id"]),
                                          ("project_id", "=", values["project_id"]),
                                          ("number", "=", values["number"])], limit=1)

    def prepare(self, ctx):
        values = self._values(ctx)
        statuses = dict(ctx.env[SUBMITTAL]._fields["status"]._description_selection(ctx.env))
        return ctx.env._("Submittal %(number)s rev %(revision)s: %(status)s", number=values["number"],
                         revision=ctx.data["revision"], status=statuses.get(ctx.data["status"], ctx.data["status"]))

    def apply(self, ctx):
        values = self._values(ctx)
        revision, status = str(ctx.data["revision"]), ctx.data["status"]
        submittal = self._existing(ctx, values)
        if not submittal:
            values.setdefault("title", values["number"])
            return ctx.env[SUBMITTAL].create({**values, "revision": revision, "status": status})
        submittal._apply_status(revision, status, values)
        return submittal


class DocumentRevised(EventHandler):
    event_type = "document.revised"
    summary = "A drawing or specification was revised; the submittals it supersedes put their purchase lines on hold."
    object_model = SUBMITTAL
    schema = {
        "type": "object",
        "required": ["id", "project_id", "number", "revision", "supersedes_submittal_ids"],
        "properties": {
            "id": EXTERNAL_ID,
            "project_id": EXTERNAL_ID,
            "number": {"type": "string", "minLength": 1, "maxLength": 64, "description": "Drawing or document number."},
            "revision": {"type": ["string", "integer"], "minLength": 1, "maxLength": 16, "minimum": 0},
            "title": {"type": "string", "maxLength": 255},
            "supersedes_submittal_ids": {"type": "array", "items": EXTERNAL_ID,
                                         "description": "External ids of the submittals this revision supersedes."},
        },
    }
    example = {"id": "DOC-S-201-C", "project_id": "P-100", "number": "S-201", "revision": "C",
               "title": "Level 2 framing plan", "supersedes_submittal_ids": ["SUB-88"]}

    def object_external_id(self, data):
        # The document is not stored as a record; its own key keeps its events in order without
        # sharing a watermark with a submittal that happens to have the same id.
        return "document:%s" % data["id"]

    def _submittals(self, ctx):
        ctx.resolve("project.project", ctx.data["project_id"], _lt("project"))
        submittals = ctx.env[SUBMITTAL]
        for submittal_id in ctx.data["supersedes_submittal_ids"]:
            submittals |= ctx.resolve(SUBMITTAL, submittal_id, _lt("submittal"))
        return submittals

    def prepare(self, ctx):
        submittals = self._submittals(ctx)
        if not submittals:
            return ctx.env._("%(number)s rev %(revision)s supersedes nothing", number=ctx.data["number"],
                             revision=ctx.data["revision"])
        return ctx.env._("%(number)s rev %(revision)s supersedes %(submittals)s", number=ctx.data["number"],
                         revision=ctx.data["revision"], submittals=", ".join(submittals.mapped("display_name")))

    def apply(self, ctx):
        if ctx.data.get("title"):
            note = ctx.env._("Superseded by %(number)s rev %(revision)s %(title)s", number=ctx.data["number"],
                             revision=ctx.data["revision"], title=ctx.data["title"])
        else:
            note = ctx.env._("Superseded by %(number)s rev %(revision)s", number=ctx.data["number"],
                             revision=ctx.data["revision"])
        for submittal in self._submittals(ctx):
            if submittal.status != "superseded":
                submittal._apply_status(submittal.revision, "superseded", note=note)
        # Nothing maps to the document itself; the event names the submittals in its summary.
        return ctx.env[SUBMITTAL]


HANDLERS = [SubmittalStatusChanged, DocumentRevised]
