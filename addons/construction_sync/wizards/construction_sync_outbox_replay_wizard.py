from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionSyncOutboxReplayWizard(models.TransientModel):
    """Replays one subscription's outbound messages published in a time range: after the
    receiver lost data or was down longer than the retry schedule. Delivered messages are
    replayed only when asked."""

    _name = "construction.sync.outbox.replay.wizard"
    _description = "Replay Outbound Messages"

    subscription_id = fields.Many2one("construction.sync.subscription", required=True,
                                      context={"active_test": False})
    date_from = fields.Datetime(string="Published from", required=True)
    date_to = fields.Datetime(string="Published until", required=True, default=fields.Datetime.now)
    event_type = fields.Char(help="Only this event type (leave empty for all).")
    include_delivered = fields.Boolean(string="Delivered ones too")
    match_count = fields.Integer(compute="_compute_match_count")

    @api.depends("subscription_id", "date_from", "date_to", "event_type", "include_delivered")
    def _compute_match_count(self):
        for wizard in self:
            if not (wizard.subscription_id and wizard.date_from and wizard.date_to):
                wizard.match_count = 0
                continue
            states = ["dead", "delivered"] if wizard.include_delivered else ["dead"]
            domain = [("subscription_id", "=", wizard.subscription_id.id), ("state", "in", states),
                      ("created_at", ">=", wizard.date_from), ("created_at", "<=", wizard.date_to)]
            if wizard.event_type:
                domain.append(("event_type", "=", wizard.event_type))
            wizard.match_count = self.env["construction.sync.outbox"].search_count(domain)

    def action_replay(self):
        self.ensure_one()
        if self.date_from > self.date_to:
            raise UserError(_("The range starts after it ends."))
        count = self.env["construction.sync.outbox"].replay_range(
            self.subscription_id.id, self.date_from, self.date_to, self.event_type or None, self.include_delivered)
        if not count:
            raise UserError(_("No message of %s matches this range.", self.subscription_id.name))
        return {"type": "ir.actions.client", "tag": "display_notification",
                "params": {"type": "success", "message": _("%s messages queued again.", count),
                           "next": {"type": "ir.actions.act_window_close"}}}
