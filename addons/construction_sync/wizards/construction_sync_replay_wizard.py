from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.access import readable

REPLAYABLE = [("failed", "Failed"), ("dead", "Dead"), ("stale", "Stale"), ("ignored", "Ignored"), ("done", "Done")]


class ConstructionSyncReplayWizard(models.TransientModel):
    """Replays the events one system delivered in a time range: after an outage on the Odoo side,
    a bad mapping fixed late, or a handler corrected. Done events are replayed only when asked."""

    _name = "construction.sync.replay.wizard"
    _description = "Replay Synced Events"

    system_id = fields.Many2one("construction.sync.system", required=True)
    date_from = fields.Datetime(string="Received from", required=True)
    date_to = fields.Datetime(string="Received until", required=True, default=fields.Datetime.now)
    event_type = fields.Char(help="Only this event type (leave empty for all).")
    include_failed = fields.Boolean(string="Failed", default=True)
    include_dead = fields.Boolean(string="Dead", default=True)
    include_stale = fields.Boolean(string="Stale")
    include_ignored = fields.Boolean(string="Ignored")
    include_done = fields.Boolean(string="Done", help="Re-applies events already applied (handlers are idempotent).")
    reason = fields.Char(required=True)
    match_count = fields.Integer(compute="_compute_match_count")

    def _states(self):
        return [state for state, _label in REPLAYABLE if self["include_%s" % state]]

    def _domain(self):
        domain = [
            ("system_id", "=", self.system_id.id),
            ("received_at", ">=", self.date_from),
            ("received_at", "<=", self.date_to),
            ("state", "in", self._states()),
        ]
        if self.event_type:
            domain.append(("event_type", "=", self.event_type))
        return domain

    @api.depends("system_id", "date_from", "date_to", "event_type", "include_failed", "include_dead",
                 "include_stale", "include_ignored", "include_done")
    def _compute_match_count(self):
        for wizard in self:
            ok = wizard.system_id and wizard.date_from and wizard.date_to
            wizard.match_count = self.env["construction.sync.event"].search_count(wizard._domain()) if ok else 0

    def action_replay(self):
        self.ensure_one()
        # The system id comes from the browser: another company's system is refused.
        readable(self.env["construction.sync.system"], self.sudo().system_id.ids)
        if self.date_from > self.date_to:
            raise UserError(_("The range starts after it ends."))
        if not self._states():
            raise UserError(_("Choose at least one state to replay."))
        events = self.env["construction.sync.event"].search(self._domain(), order="source_timestamp, id")
        if not events:
            raise UserError(_("No event of %s matches this range and these states.", self.system_id.name))
        events.action_replay(_("Replay by %(user)s: %(reason)s", user=self.env.user.name, reason=self.reason))
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": _("%s events sent back to the queue.", len(events)),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }
