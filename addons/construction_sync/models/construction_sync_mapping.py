import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from .access import readable

_logger = logging.getLogger(__name__)


class ConstructionSyncMapping(models.Model):
    """External id ↔ Odoo record, per (system, model, external id). Handlers resolve references
    through it; its watermark (the source timestamp of the last applied event about the object)
    keeps events about one object in source order."""

    _name = "construction.sync.mapping"
    _inherit = ["construction.sync.record.ref.mixin"]
    _description = "External ID Mapping"
    _order = "system_id, res_model, external_id"
    _rec_name = "external_id"

    system_id = fields.Many2one("construction.sync.system", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    res_model = fields.Char(string="Model", required=True)
    external_id = fields.Char(string="External ID", required=True)
    # Indexed: every outbound payload, trace and reconciliation looks a record's mappings up by it.
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", index=True)
    record_ref = fields.Reference(
        selection="_selection_record_ref", string="Odoo Record",
        compute="_compute_record_ref", inverse="_inverse_record_ref",
    )
    last_source_timestamp = fields.Datetime(
        readonly=True, help="Source timestamp of the last event applied about this object."
    )
    # Indexed: purging a done event clears the mappings that name it, a scan of every mapping per
    # purged event without the index.
    last_event_id = fields.Many2one("construction.sync.event", readonly=True, ondelete="set null",
                                    index="btree_not_null")

    _sql_constraints = [
        ("mapping_uniq", "unique(system_id, res_model, external_id)",
         "This external id is already mapped for this system and model."),
    ]

    @staticmethod
    def _key(model, external_id):
        return "%s:%s" % (model, external_id)

    @api.depends("res_model", "external_id")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = "%s %s" % (mapping.res_model, mapping.external_id)

    def _inverse_record_ref(self):
        # The record picked in the form (record_ref's inverse): what the mapping points to.
        for mapping in self:
            if mapping.record_ref:
                mapping.res_model = mapping.record_ref._name
                mapping.res_id = mapping.record_ref.id
            else:
                mapping.res_id = False

    @api.constrains("res_model", "res_id")
    def _check_record(self):
        by_model = {}
        for mapping in self:
            if mapping.res_model not in self.env:
                raise ValidationError(_("Unknown model %s.", mapping.res_model))
            if mapping.res_id:
                by_model.setdefault(mapping.res_model, set()).add(mapping.res_id)
        for model, ids in by_model.items():
            missing = ids - set(self.env[model].browse(ids).exists().ids)
            if missing:
                raise ValidationError(
                    _("The mapped %(model)s record %(id)s does not exist.", model=model, id=min(missing))
                )

    @api.model_create_multi
    def create(self, vals_list):
        mappings = super().create(vals_list)
        mappings._release_waiting_events()
        return mappings

    @api.model
    def _insert(self, vals_list):
        """Creates the mappings the processor records for the objects a batch created, in one
        INSERT, and returns them; then releases the events waiting for them, as create does.

        The processor's own values only (system, model, external id, the record just applied,
        the watermark), so nothing create checks can be wrong: the record exists, its model is
        the handler's. Through the ORM each batch also cost an UPDATE for the stored related
        company_id and a query per mapping to check that its record exists."""
        if not vals_list:
            return self.browse()
        columns = ("system_id", "res_model", "external_id", "res_id", "last_source_timestamp", "last_event_id")
        self.env.cr.execute(
            """
            INSERT INTO construction_sync_mapping
                        (system_id, company_id, res_model, external_id, res_id, last_source_timestamp,
                         last_event_id, create_uid, create_date, write_uid, write_date)
            SELECT v.system_id, s.company_id, v.res_model, v.external_id, v.res_id, v.last_source_timestamp,
                   v.last_event_id, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM unnest(%(system_id)s::int[], %(res_model)s::varchar[], %(external_id)s::varchar[],
                          %(res_id)s::int[], %(last_source_timestamp)s::timestamp[], %(last_event_id)s::int[])
                   WITH ORDINALITY AS v(system_id, res_model, external_id, res_id, last_source_timestamp,
                                        last_event_id, position)
              JOIN construction_sync_system s ON s.id = v.system_id
             ORDER BY v.position
            RETURNING id
            """,
            {
                "uid": self.env.uid, "now": self.env.cr.now(),
                **{column: [vals.get(column) or None for vals in vals_list] for column in columns},
            },
        )
        mappings = self.browse([mapping_id for (mapping_id,) in self.env.cr.fetchall()])
        mappings._release_waiting_events()
        return mappings

    def write(self, vals):
        if vals.get("system_id"):
            # The record rule checks the mapping's company before the write, not after: a mapping
            # moves only to a system of the user's companies (whose waiting events it releases).
            readable(self.env["construction.sync.system"], [vals["system_id"]])
        result = super().write(vals)
        if {"res_id", "res_model", "external_id", "record_ref"} & set(vals):
            self._release_waiting_events()
        return result

    def _release_waiting_events(self):
        """A master record now exists: events that failed with a data error waiting for it go
        back to the queue."""
        mapped = self.filtered("res_id")
        if not mapped:
            return
        waiting = self.env["construction.sync.event"].sudo().search([
            ("system_id", "in", mapped.system_id.ids),
            ("state", "=", "failed"),
            ("error_class", "=", "data"),
            ("waiting_for", "in", [self._key(m.res_model, m.external_id) for m in mapped]),
        ])
        keys = {(m.system_id.id, self._key(m.res_model, m.external_id)) for m in mapped}
        waiting = waiting.filtered(lambda event: (event.system_id.id, event.waiting_for) in keys)
        for key in set(waiting.mapped("waiting_for")):
            released = waiting.filtered(lambda event, key=key: event.waiting_for == key)
            released._transition(
                "pending", "release", _("Released: %s is now mapped", key),
                next_attempt_at=fields.Datetime.now(), waiting_for=False,
            )
        if waiting:
            self.env["construction.sync.runner"]._wake(waiting)

    # ------------------------------------------------------------------------------------------
    # resetting a wrong watermark
    # ------------------------------------------------------------------------------------------

    def _stale_events(self):
        """The stale events about this mapping's object (the processor's object key)."""
        self.ensure_one()
        return self.env["construction.sync.event"].sudo().search([
            ("system_id", "=", self.system_id.id), ("object_key", "=", self._key(self.res_model, self.external_id)),
            ("state", "=", "stale"),
        ])

    def _watermark_after_reset(self):
        """(source timestamp, event) the watermark goes back to: the newest event applied about
        the object that is older than the current watermark (resetting says the current one is
        wrong, so it always moves back) and not dated past the system's future tolerance (an event
        from the future is what makes a watermark wrong); (False, empty) when there is none, and
        then the object's next event applies whatever its date."""
        self.ensure_one()
        Event = self.env["construction.sync.event"].sudo()
        if not self.last_source_timestamp:
            return False, Event
        limit = fields.Datetime.now() + timedelta(seconds=self.system_id.future_tolerance_seconds)
        event = Event.search([
            ("system_id", "=", self.system_id.id),
            ("object_key", "=", self._key(self.res_model, self.external_id)),
            ("state", "=", "done"),
            ("source_timestamp", "<", self.last_source_timestamp),
            ("source_timestamp", "<=", limit),
        ], order="source_timestamp desc, id desc", limit=1)
        return (event.source_timestamp, event) if event else (False, Event)

    def action_reset_watermark(self, reason):
        """Sets a wrong watermark back (see _watermark_after_reset) so the object's next genuine
        update applies instead of going stale. Integration managers only, with a reason. The
        audit trail of the event that had set the watermark and of the object's stale events
        says who reset it, from what, to what and why; the stale events stay stale: a manager
        applies them anyway or replays them (newer than the reset watermark, they apply)."""
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise UserError(_("Only integration managers can do this."))
        readable(self, self.ids)
        if not (reason or "").strip():
            raise UserError(_("Say why the watermark is reset: the reason stays in the audit trail."))
        for mapping in self:
            if not mapping.last_source_timestamp:
                raise UserError(_("%s has no watermark to reset.", mapping.display_name))
        for mapping in self:
            old_at, old_event = mapping.last_source_timestamp, mapping.sudo().last_event_id
            new_at, new_event = mapping._watermark_after_reset()
            message = _(
                "Watermark of %(object)s reset by %(user)s from %(old)s UTC (event %(old_event)s) to %(new)s: "
                "%(reason)s",
                object=mapping._key(mapping.res_model, mapping.external_id), user=self.env.user.name,
                old=old_at, old_event=old_event.webhook_id or _("unknown"),
                new=_("%(at)s UTC (event %(event)s)", at=new_at, event=new_event.webhook_id) if new_event
                else _("none (the next event applies whatever its date)"),
                reason=reason.strip(),
            )
            concerned = old_event.exists() | mapping._stale_events()
            self.env["construction.sync.audit"]._log(concerned, "reset_watermark", None, message)
            _logger.info("%s (mapping %s, user %s)", message, mapping.id, self.env.uid)
            mapping.write({"last_source_timestamp": new_at, "last_event_id": new_event.id})
        return True

    def action_open_reset_watermark(self):
        """The mapping form's button: a dialog that shows the reset and asks for the reason."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Reset Watermark"),
            "res_model": "construction.sync.watermark.reset.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_mapping_id": self.id},
        }

    @api.model
    def _find(self, system, model, external_id):
        return self.sudo().search([
            ("system_id", "=", system.id), ("res_model", "=", model), ("external_id", "=", str(external_id)),
        ], limit=1)
