from odoo import api, models


class ConstructionSyncRecordRefMixin(models.AbstractModel):
    """A clickable reference to any Odoo record, computed from res_model / res_id, for the
    models that point at what an external id or an event produced."""

    _name = "construction.sync.record.ref.mixin"
    _description = "Reference to an Odoo Record"

    @api.model
    def _selection_record_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_record_ref(self):
        for record in self:
            valid = record.res_model in self.env and record.res_id
            record.record_ref = "%s,%s" % (record.res_model, record.res_id) if valid else False
