from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .access import readable


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
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model")
    record_ref = fields.Reference(
        selection="_selection_record_ref", string="Odoo Record",
        compute="_compute_record_ref", inverse="_inverse_record_ref",
    )
    last_source_timestamp = fields.Datetime(
        readonly=True, help="Source timestamp of the last event applied about this object."
    )
    last_event_id = fields.Many2one("construction.sync.event", readonly=True, ondelete="set null")

    _sql_constraints = [
        ("mapping_uniq", "unique(system_id, res_model, external_id)", "This external id is already mapped for this system and model."),
    ]

    @staticmethod
    def _key(model, external_id):
        return "%s:%s" % (model, external_id)

    @api.depends("res_model", "external_id")
    def _compute_display_name(self):
        for mapping in self:
            mapping.display_name = "%s %s" % (mapping.res_model, mapping.external_id)

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
                raise ValidationError(_("The mapped %(model)s record %(id)s does not exist.", model=model, id=min(missing)))

    @api.model_create_multi
    def create(self, vals_list):
        mappings = super().create(vals_list)
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
            released = waiting.filtered(lambda event: event.waiting_for == key)
            released._transition(
                "pending", "release", _("Released: %s is now mapped", key),
                next_attempt_at=fields.Datetime.now(), waiting_for=False,
            )
        if waiting:
            self.env["construction.sync.runner"]._wake(waiting)

    @api.model
    def _find(self, system, model, external_id):
        return self.sudo().search([
            ("system_id", "=", system.id), ("res_model", "=", model), ("external_id", "=", str(external_id)),
        ], limit=1)
