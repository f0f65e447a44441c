import json
import uuid

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..sync.reconcile import KINDS, RECONCILIATION
from .access import readable

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
            unsettable = [name for name in (diff.field_name or "").split(", ")
                          if name and spec.upsert_fields is not None and name not in spec.upsert_fields]
            if unsettable:
                raise UserError(_("%(fields)s of %(object)s come from other events than %(type)s: ask the source "
                                  "to resend them instead.", fields=", ".join(unsettable), object=diff.external_id,
                                  type=spec.upsert_event_type))
            record = diff._record()
            data = spec.upsert_data(record, diff.external_id, diff.source_values or {}) \
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
