from odoo import api, fields, models


class ConstructionSyncEventSetting(models.Model):
    _name = "construction.sync.event.setting"
    _inherit = ["construction.sync.intake.cached.mixin"]
    _description = "Event Type Settings of an External System"
    _order = "system_id, event_type"

    system_id = fields.Many2one("construction.sync.system", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="system_id.company_id", store=True)
    event_type = fields.Selection(selection="_selection_event_type", required=True)
    enabled = fields.Boolean(default=True)
    processing_mode = fields.Selection(
        [("realtime", "Real time"), ("batch", "Batch")], default="realtime", required=True,
        help="Real time: processed seconds after intake. Batch: processed by the scheduled batch run.",
    )
    requires_approval = fields.Boolean(
        help="Validated and prepared, then held until an accountant accepts or rejects it."
    )
    max_attempts = fields.Integer(default=5, help="Attempts for transient failures before the event is dead.")

    @api.model
    def _selection_event_type(self):
        return self.env["construction.sync.handler"]._selection()

    _sql_constraints = [
        ("system_type_uniq", "unique(system_id, event_type)", "Each event type is configured once per system."),
        ("max_attempts_positive", "CHECK(max_attempts > 0)", "Max attempts must be at least 1."),
    ]
