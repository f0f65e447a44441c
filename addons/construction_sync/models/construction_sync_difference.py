import json
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import html2plaintext

from ..sync.reconcile import COMPARATORS, KINDS, RECONCILIATION
from .access import readable
from .construction_sync_reconcile import OPEN as OPEN_STATES

# Rows the cockpit's list of open differences shows at most.
LIST_MAX = 200
STATES = [
    ("open", "Open"),
    ("resend_requested", "Resend Requested"),
    ("taken", "Source's Values Taken"),
    ("kept", "Odoo's Values Kept"),
    ("ignored", "Ignored"),
    ("resolved", "Resolved by a Later Snapshot"),
]


class ConstructionSyncDifference(models.Model):
    """Where a system's snapshot and Odoo disagree about one object (and, for a value mismatch,
    one field). A model of its own beside the inbox's exceptions rather than events in a new
    error class: an event is what a system sent (its payload is frozen evidence, retried and
    replayed), a difference is what two sides hold now and is settled by a person's choice of
    side. Its exception class is `reconciliation` for the cockpit, which lists both."""

    _name = "construction.sync.difference"
    _inherit = ["construction.sync.record.ref.mixin", "mail.thread"]
    _description = "Reconciliation Difference"
    _order = "create_date desc, id desc"

    # identity
    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, index=True,
                                ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    object_type = fields.Char(required=True, readonly=True, index=True)
    external_id = fields.Char(string="External ID", required=True, readonly=True, index=True)
    res_model = fields.Char(string="Odoo Model", required=True, readonly=True)
    res_id = fields.Many2oneReference(string="Odoo Record ID", model_field="res_model", readonly=True)
    record_ref = fields.Reference(selection="_selection_record_ref", compute="_compute_record_ref",
                                  string="Odoo Record")
    error_class = fields.Selection([(RECONCILIATION, "Reconciliation")], default=RECONCILIATION,
                                   required=True, readonly=True)
    kind = fields.Selection(KINDS, required=True, readonly=True, index=True)

    # the two sides
    field_name = fields.Char(string="Field", readonly=True)
    source_value = fields.Char(readonly=True, help="The value the source holds (JSON).")
    odoo_value = fields.Char(string="Odoo Value", readonly=True, help="The value Odoo holds (JSON).")
    source_version = fields.Datetime(readonly=True, help="The object's version at the source (UTC).")
    odoo_version = fields.Datetime(
        string="Odoo Version", readonly=True,
        help="Source timestamp of the last event Odoo applied about the object (UTC).")
    source_values = fields.Json(readonly=True, help="Every value the snapshot carried for the object.")
    source_values_text = fields.Text(string="Source's Values", compute="_compute_source_values_text")

    # runs and state
    first_run_id = fields.Many2one("construction.sync.reconcile.run", readonly=True, ondelete="set null")
    last_run_id = fields.Many2one("construction.sync.reconcile.run", readonly=True, index=True,
                                  ondelete="set null")
    state = fields.Selection(STATES, default="open", required=True, readonly=True, index=True, tracking=True)
    resolution = fields.Text(readonly=True)
    resolved_by = fields.Many2one("res.users", readonly=True)
    resolved_at = fields.Datetime(readonly=True)
    event_id = fields.Many2one("construction.sync.event", string="Applied Through", readonly=True,
                               index="btree_not_null",
                               ondelete="set null")

    @api.depends("object_type", "external_id", "kind", "field_name")
    def _compute_display_name(self):
        labels = dict(KINDS)
        for diff in self:
            diff.display_name = "%s %s: %s%s" % (
                diff.object_type, diff.external_id, labels.get(diff.kind, ""),
                " (%s)" % diff.field_name if diff.field_name else "")

    @api.depends("source_values")
    def _compute_source_values_text(self):
        for diff in self:
            diff.source_values_text = json.dumps(diff.source_values, indent=2, sort_keys=True) \
                if diff.source_values else False

    # ------------------------------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------------------------------

    def _check_manager(self):
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise UserError(_("Only integration managers can settle reconciliation differences."))
        # Reading them applies the record rules: no one settles another company's differences.
        readable(self, self.ids)
        for diff in self:
            if diff.state not in ("open", "resend_requested"):
                raise UserError(_("%(diff)s is already settled (%(state)s).", diff=diff.display_name,
                                  state=dict(STATES)[diff.state]))

    def _settle(self, state, message):
        self.sudo().write({"state": state, "resolution": message, "resolved_by": self.env.uid,
                           "resolved_at": fields.Datetime.now()})
        for diff in self:
            diff.sudo().message_post(body=message, subtype_xmlid="mail.mt_note")

    def _spec(self):
        spec = self.env["construction.sync.reconcile"]._spec(self.object_type)
        if spec is None:
            raise UserError(_("No installed addon declares the snapshot type %s any more.", self.object_type))
        return spec

    def _record(self):
        if not self.res_id or self.res_model not in self.env:
            return self.env[self.res_model].browse() if self.res_model in self.env else None
        return self.env[self.res_model].sudo().browse(self.res_id).exists()

    def action_request_resend(self):
        """Asks the source to send the object again: an outbound message to the system's team when
        a subscription of the company wants `reconciliation.resend_requested`, else a note saying
        nobody was asked."""
        self._check_manager()
        Outbox = self.env["construction.sync.outbox"]
        for diff in self:
            messages = Outbox._publish("reconciliation.resend_requested", diff.sudo())
            if messages:
                diff.sudo().write({"state": "resend_requested"})
                diff.sudo().message_post(
                    body=_("%(user)s asked %(system)s to send %(object)s again (outbound message %(ids)s).",
                           user=self.env.user.name, system=diff.system_id.name,
                           object=diff.external_id, ids=", ".join(str(i) for i in messages.ids)),
                    subtype_xmlid="mail.mt_note")
            else:
                diff.sudo().message_post(
                    body=_("%(user)s wants %(system)s to send %(object)s again, but no outbound subscription "
                           "of %(company)s wants reconciliation.resend_requested: ask the system's team "
                           "directly.", user=self.env.user.name, system=diff.system_id.name,
                           object=diff.external_id, company=diff.company_id.name),
                    subtype_xmlid="mail.mt_note")
        return True

    def action_take_source(self):
        """Applies the source's values through the object's own upsert handler: a new event in the
        inbox, dated with the snapshot's version, applied now like any event (approval gate,
        watermark, audit trail); the difference says which event did it."""
        self._check_manager()
        for diff in self:
            if diff.kind == "unknown_at_source":
                raise UserError(_("%s: the source holds nothing to take. Keep Odoo's or ignore it.",
                                  diff.display_name))
            spec = diff._spec()
            diff._check_takeable(spec)
            record = diff._record()
            data = spec.upsert_data(record, diff.external_id, diff.source_values or {}, diff._external_id_of) \
                if spec.upsert_event_type else None
            if data is None:
                raise UserError(_("The snapshot does not carry everything %(type)s needs to apply %(object)s: "
                                  "ask the source to resend it instead.",
                                  type=spec.upsert_event_type or spec.object_type, object=diff.external_id))
            event = diff._inbox_event(spec.upsert_event_type, data)
            self.env["construction.sync.processor"].sudo()._process_now(event)
            diff.sudo().event_id = event
            if event.state == "done":
                diff._settle("taken", _("%(user)s took %(system)s's values for %(object)s, applied by event "
                                        "%(event)s.", user=self.env.user.name, system=diff.system_id.name,
                                        object=diff.external_id, event=event.webhook_id))
            else:
                diff.sudo().message_post(
                    body=_("%(user)s took %(system)s's values; event %(event)s is %(state)s: %(error)s",
                           user=self.env.user.name, system=diff.system_id.name, event=event.webhook_id,
                           state=event.state, error=event.error_message or event.approval_summary or ""),
                    subtype_xmlid="mail.mt_note")
        return True

    def _check_takeable(self, spec):
        """Refuses, saying why, a difference whose fields no snapshot can set: those the spec
        declares refused (their figures follow from other events) or its upsert does not set."""
        self.ensure_one()
        names = [name for name in (self.field_name or "").split(", ") if name]
        whole = spec.take_refused.get("*")
        if whole:
            raise UserError(_("%(object)s (%(type)s) cannot be taken from a snapshot: %(reason)s; ask the source "
                              "to resend it instead.", object=self.external_id, type=spec.object_type,
                              reason=str(whole)))
        for name in names:
            if name in spec.take_refused:
                raise UserError(_("%(field)s of %(object)s cannot be taken from a snapshot: %(reason)s; ask the "
                                  "source to resend it instead.", field=name, object=self.external_id,
                                  reason=str(spec.take_refused[name])))
        unsettable = [name for name in names if spec.upsert_fields is not None and name not in spec.upsert_fields]
        if unsettable:
            raise UserError(_("%(fields)s of %(object)s come from other events than %(type)s: ask the source "
                              "to resend them instead.", fields=", ".join(unsettable), object=self.external_id,
                              type=spec.upsert_event_type))

    def _external_id_of(self, record):
        """The external id `record` has at this difference's system (None: the system never sent it)."""
        if not record:
            return None
        mapping = self.env["construction.sync.mapping"].sudo().search([
            ("system_id", "=", self.system_id.id), ("res_model", "=", record._name), ("res_id", "=", record.id),
        ], order="id", limit=1)
        return mapping.external_id or None

    def _inbox_event(self, event_type, data):
        """An event as if the source had sent `data`, so the same handler applies it; its audit
        trail names the person and the difference."""
        self.ensure_one()
        timestamp = self.source_version or fields.Datetime.now()
        handler = self.env["construction.sync.handler"]._get(event_type)
        if handler is None:
            raise UserError(_("No installed addon handles %s.", event_type))
        body = {"type": event_type, "timestamp": timestamp.isoformat() + "Z", "data": data}
        event = self.env["construction.sync.event"].sudo().create({
            "system_id": self.system_id.id,
            "company_id": self.company_id.id,
            "webhook_id": "reconcile-%s-%s" % (self.id, uuid.uuid4().hex[:12]),
            "event_type": event_type,
            "payload": json.dumps(body, ensure_ascii=False, separators=(",", ":")),
            "object_key": "%s:%s" % (handler.object_model, handler.object_external_id(data)),
            "source_timestamp": timestamp,
            "processing_mode": "realtime",
            "received_at": fields.Datetime.now(),
            "next_attempt_at": fields.Datetime.now(),
        })
        self.env["construction.sync.audit"].sudo()._log(
            event, "note", None, _("Created by %(user)s from reconciliation difference %(diff)s: take the "
                                   "source's values.", user=self.env.user.name, diff=self.display_name))
        return event

    def action_keep_odoo(self):
        """Odoo's values stand: published to the source (`reconciliation.value_kept`) when a
        subscription wants it, so it can correct itself."""
        self._check_manager()
        for diff in self:
            if diff.kind == "missing_in_odoo":
                raise UserError(_("%s: Odoo holds nothing to keep. Ask the source to resend it, or ignore it.",
                                  diff.display_name))
            messages = self.env["construction.sync.outbox"]._publish("reconciliation.value_kept", diff.sudo())
            diff._settle("kept", _("%(user)s kept Odoo's values for %(object)s; %(sent)s",
                                   user=self.env.user.name, object=diff.external_id,
                                   sent=_("published to %s.", diff.system_id.name) if messages
                                   else _("no subscription wants reconciliation.value_kept: tell the source's "
                                          "team directly.")))
        return True

    def action_ignore(self, reason):
        self._check_manager()
        if not (reason or "").strip():
            raise UserError(_("Say why the difference is ignored: the reason stays on it."))
        self._settle("ignored", _("Ignored by %(user)s: %(reason)s", user=self.env.user.name, reason=reason.strip()))
        return True

    def action_open_ignore(self):
        return {
            "type": "ir.actions.act_window",
            "name": _("Ignore Differences"),
            "res_model": "construction.sync.difference.ignore.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_difference_ids": self.ids},
        }

    def action_open_record(self):
        self.ensure_one()
        record = self._record()
        if not record:
            raise UserError(_("Odoo holds no record for %s.", self.external_id))
        return {"type": "ir.actions.act_window", "res_model": record._name, "res_id": record.id,
                "view_mode": "form", "views": [(False, "form")]}

    # ------------------------------------------------------------------------------------------
    # cockpit: both sides side by side
    # ------------------------------------------------------------------------------------------

    @api.model
    def _check_cockpit_user(self):
        if not self.env.user.has_group("construction_sync.group_user"):
            raise AccessError(_("Only integration users can see reconciliation."))

    @api.model
    def get_open_differences(self, system_id=None, limit=50):
        """The cockpit's list of open differences (newest first), of one system or of every system
        the user may read; record rules keep other companies' out."""
        self._check_cockpit_user()
        domain = [("state", "in", OPEN_STATES)]
        if system_id:
            readable(self.env["construction.sync.system"], [system_id])
            domain.append(("system_id", "=", system_id))
        kinds = dict(KINDS)
        return {
            "total": self.search_count(domain),
            "rows": [{
                "id": diff.id, "system": diff.system_id.name, "name": diff.display_name, "kind": diff.kind,
                "kind_label": kinds[diff.kind], "object_type": diff.object_type, "external_id": diff.external_id,
                "field": diff.field_name or "", "found_at": fields.Datetime.to_string(diff.create_date),
            } for diff in self.search(domain, limit=max(1, min(int(limit or 50), LIST_MAX)))],
        }

    @api.model
    def get_sides(self, difference_id):
        """Both sides of one difference for the cockpit: per field the source's value (from the
        snapshot) beside Odoo's (read now), which rows disagree, the Odoo record to open, where
        the difference stands and which actions the user may take."""
        self._check_cockpit_user()
        return readable(self, [difference_id])._sides()

    def _sides(self):
        self.ensure_one()
        spec = self.env["construction.sync.reconcile"]._spec(self.object_type)
        record = self._record()
        source = {} if self.kind == "unknown_at_source" else (self.source_values or {})
        odoo = spec.odoo_values(record).get(record.id, {}) if spec and record else {}
        rows = [{
            "field": "version", "label": _("Version (UTC)"),
            "source": fields.Datetime.to_string(self.source_version) or "",
            "odoo": fields.Datetime.to_string(self.odoo_version) or "",
            "mismatch": self.kind == "older_in_odoo",
        }]
        for name, kind in (spec.fields if spec else {}).items():
            carried = name in source
            if carried and record:
                mismatch = not COMPARATORS[kind](source[name], odoo.get(name))
            else:
                # Only one side holds the object: each value that side carries is a difference.
                mismatch = carried or bool(record)
            rows.append({
                "field": name, "label": name,
                "source": self._side_value(kind, source[name]) if carried else "",
                "odoo": self._side_value(kind, odoo.get(name)) if record else "",
                "mismatch": mismatch,
            })
        is_manager = self.env.user.has_group("construction_sync.group_manager")
        is_open = self.state in OPEN_STATES
        take_blocked = ""
        if spec and self.kind != "unknown_at_source":
            try:
                self._check_takeable(spec)
            except UserError as error:
                take_blocked = error.args[0]
        notes = self.sudo().message_ids.filtered(lambda m: m.message_type in ("comment", "notification") and m.body)
        return {
            "id": self.id,
            "name": self.display_name,
            "system": self.system_id.name,
            "kind": self.kind,
            "kind_label": dict(KINDS)[self.kind],
            "state": self.state,
            "state_label": dict(STATES)[self.state],
            "resolution": self.resolution or "",
            "last_note": html2plaintext(notes[:1].body) if notes else "",
            "record": record and {"model": record._name, "id": record.id, "name": record.display_name} or None,
            "rows": rows,
            "actions": {
                "resend": is_manager and is_open,
                "take": is_manager and is_open and self.kind != "unknown_at_source" and not take_blocked,
                "keep": is_manager and is_open and self.kind != "missing_in_odoo",
                "ignore": is_manager and is_open,
            },
            "take_blocked": take_blocked,
        }

    def _side_value(self, kind, value):
        if value is None or (value is False and kind != "flag"):
            return ""
        if kind == "money":
            # Grouped like the control totals' sentences: thin spaces read in every language.
            return "{:,.2f}".format(float(value)).replace(",", " ")
        if kind == "flag":
            return _("Yes") if value else _("No")
        return str(value)
