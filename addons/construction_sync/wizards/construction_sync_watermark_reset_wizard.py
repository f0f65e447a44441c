from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.access import readable


class ConstructionSyncWatermarkResetWizard(models.TransientModel):
    """The mapping form's Reset Watermark: shows what the watermark goes back to and asks the
    integration manager why (construction.sync.mapping.action_reset_watermark)."""

    _name = "construction.sync.watermark.reset.wizard"
    _description = "Reset a Mapping's Watermark"

    mapping_id = fields.Many2one("construction.sync.mapping", required=True, ondelete="cascade")
    current_timestamp = fields.Datetime(related="mapping_id.last_source_timestamp", string="Current watermark")
    current_event_id = fields.Many2one(related="mapping_id.last_event_id", string="Set by")
    new_timestamp = fields.Datetime(compute="_compute_new", string="Goes back to")
    new_event_id = fields.Many2one("construction.sync.event", compute="_compute_new", string="Of event")
    reason = fields.Char(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if values.get("mapping_id"):
            # The id comes from the browser: another company's mapping is refused here.
            readable(self.env["construction.sync.mapping"], [values["mapping_id"]])
        return values

    @api.depends("mapping_id.last_source_timestamp", "mapping_id.last_event_id")
    def _compute_new(self):
        for wizard in self:
            at, event = wizard.mapping_id._watermark_after_reset() if wizard.mapping_id else (False, False)
            wizard.new_timestamp = at
            wizard.new_event_id = event

    def action_confirm(self):
        self.ensure_one()
        mapping = readable(self.env["construction.sync.mapping"], self.sudo().mapping_id.ids)
        if not mapping:
            raise UserError(_("Select a mapping."))
        mapping.action_reset_watermark(self.reason)
        return {"type": "ir.actions.act_window_close"}
