from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.access import readable

# action -> (label, what the person provides)
ACTIONS = {
    "note": ("Add a note", "text"),
    "assign": ("Assign", "user"),
    "ignore": ("Ignore", "text"),
    "reject": ("Reject", "text"),
    "apply_anyway": ("Apply anyway", "text"),
    "reset_watermark": ("Reset watermark", "text"),
}


class ConstructionSyncEventActionWizard(models.TransientModel):
    """One small dialog for the event actions that need a word from the person: a note, an
    assignee, the reason to ignore or reject. Works on one event or a whole selection."""

    _name = "construction.sync.event.action.wizard"
    _description = "Act on Synced Events"

    action = fields.Selection([(key, label) for key, (label, _kind) in ACTIONS.items()], required=True)
    event_ids = fields.Many2many(
        "construction.sync.event", "construction_sync_action_wizard_event_rel", "wizard_id", "event_id",
        string="Events", required=True,
    )
    event_count = fields.Integer(compute="_compute_event_count")
    text = fields.Text(string="Note / reason")
    user_id = fields.Many2one("res.users", string="Assign to", domain=[("share", "=", False)])
    needs_text = fields.Boolean(compute="_compute_needs")
    needs_user = fields.Boolean(compute="_compute_needs")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "construction.sync.event" and "event_ids" in fields_list:
            # The selection comes from the browser: another company's event is refused here.
            events = readable(self.env["construction.sync.event"], self.env.context.get("active_ids", []))
            values["event_ids"] = [Command.set(events.ids)]
        return values

    @api.depends("event_ids")
    def _compute_event_count(self):
        for wizard in self:
            wizard.event_count = len(wizard.event_ids)

    @api.depends("action")
    def _compute_needs(self):
        for wizard in self:
            kind = ACTIONS.get(wizard.action, (None, None))[1]
            wizard.needs_text = kind == "text"
            wizard.needs_user = kind == "user"

    def action_confirm(self):
        self.ensure_one()
        # Reading event_ids would silently leave out the events the user may not read; every
        # stored id must be readable, or nothing is done.
        events = readable(self.env["construction.sync.event"], self.sudo().event_ids.ids)
        if not events:
            raise UserError(_("Select at least one event."))
        if self.action == "note":
            events.action_add_note(self.text)
        elif self.action == "assign":
            events.action_assign(self.user_id.id)
        elif self.action == "ignore":
            events.action_ignore(self.text)
        elif self.action == "reject":
            events.action_reject(self.text)
        elif self.action == "apply_anyway":
            events.action_apply_anyway(self.text)
        elif self.action == "reset_watermark":
            events.action_reset_watermark(self.text)
        return {"type": "ir.actions.act_window_close"}
