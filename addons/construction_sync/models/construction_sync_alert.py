from odoo import api, fields, models
from odoo.exceptions import AccessError

from .construction_sync_alert_rule import KINDS


class ConstructionSyncAlert(models.Model):
    """A condition of an alert rule that holds: opened once when the cron first finds it (one open
    alert per rule and key, enforced by a unique index), its responsible people told by an
    activity and an email, closed by the cron itself when the condition clears. The chatter is its
    timeline: opened, resolved, and whatever people wrote meanwhile."""

    _name = "construction.sync.alert"
    _description = "Sync Alert"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "opened_at desc, id desc"
    # Integration users comment on alerts they may only read (the cron writes them).
    _mail_post_access = "read"

    rule_id = fields.Many2one("construction.sync.alert.rule", required=True, readonly=True, index=True,
                              ondelete="cascade")
    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, index=True,
                                ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    kind = fields.Selection(KINDS, required=True, readonly=True)
    # What within the rule is alerting ('' for one-per-system conditions; an event type, error
    # class or subscription for the others).
    key = fields.Char(readonly=True, default="")
    state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], required=True, default="open",
                             readonly=True, index=True, tracking=True)
    message = fields.Text(readonly=True, help="The condition as last found, with the baseline it compared against.")
    value = fields.Float(readonly=True, help="The measured value the threshold was compared with, as last found.")
    opened_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)
    last_seen_at = fields.Datetime(readonly=True)
    resolved_at = fields.Datetime(readonly=True)

    def init(self):
        # An alert opens once: two cron runs (two workers) cannot open the same one twice.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS construction_sync_alert_open_uniq"
            " ON construction_sync_alert (rule_id, key) WHERE state = 'open'"
        )

    @api.depends("kind", "system_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for alert in self:
            alert.display_name = "%s: %s" % (alert.system_id.name, labels.get(alert.kind))

    @api.model
    def _evaluate(self, rules):
        """Opens the alerts whose condition holds and that are not open yet, refreshes the open
        ones, resolves those whose condition cleared. Returns (opened, resolved) alerts."""
        # The checks read with SQL: what the ORM still holds in memory must be in the tables.
        self.env.flush_all()
        Alert = self.sudo()
        now = fields.Datetime.now()
        findings = rules._findings()
        open_alerts = Alert.search([("rule_id", "in", rules.ids), ("state", "=", "open")])
        by_key = {(alert.rule_id.id, alert.key or ""): alert for alert in open_alerts}
        opened, seen = Alert.browse(), Alert.browse()
        for rule, found in findings.items():
            for key, (value, message) in found.items():
                alert = by_key.get((rule.id, key))
                if alert:
                    alert.write({"value": value, "message": message, "last_seen_at": now})
                    seen |= alert
                    continue
                opened |= Alert.create({
                    "rule_id": rule.id, "system_id": rule.system_id.id, "company_id": rule.company_id.id,
                    "kind": rule.kind, "key": key, "value": value, "message": message,
                    "opened_at": now, "last_seen_at": now,
                })
        resolved = open_alerts - seen
        resolved._resolve(now)
        opened._notify_opened()
        return opened, resolved

    def _notify_opened(self):
        for alert in self:
            users = alert.rule_id._recipients()
            partners = users.partner_id
            alert.message_subscribe(partner_ids=partners.ids)
            alert.message_post(
                body=self.env._("Alert opened: %s", alert.message), partner_ids=partners.ids,
                subject=alert.display_name, subtype_xmlid="mail.mt_comment",
            )
            for user in users:
                alert.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id, summary=alert.display_name,
                    note=alert.message,
                )

    def _resolve(self, now):
        for alert in self:
            alert.write({"state": "resolved", "resolved_at": now})
            alert.message_post(body=self.env._("Resolved: the condition cleared. Last seen: %s", alert.message),
                               subtype_xmlid="mail.mt_note")
            alert.activity_ids.action_feedback(feedback=self.env._("Resolved by itself: the condition cleared."))

    # ------------------------------------------------------------------------------------------
    # for the cockpit
    # ------------------------------------------------------------------------------------------

    @api.model
    def get_open_alerts(self, system_id=None):
        """[{id, system_id, system, kind, kind_label, key, message, value, opened_at, last_seen_at}]
        of the open alerts the user may see (company rules apply), newest first."""
        if not self.env.user.has_group("construction_sync.group_user"):
            raise AccessError(self.env._("Alerts are for integration users."))
        domain = [("state", "=", "open")]
        if system_id:
            domain.append(("system_id", "=", int(system_id)))
        labels = dict(self._fields["kind"]._description_selection(self.env))
        return [{
            "id": alert.id,
            "system_id": alert.system_id.id,
            "system": alert.system_id.name,
            "kind": alert.kind,
            "kind_label": labels.get(alert.kind),
            "key": alert.key or "",
            "message": alert.message or "",
            "value": alert.value,
            "opened_at": fields.Datetime.to_string(alert.opened_at),
            "last_seen_at": fields.Datetime.to_string(alert.last_seen_at) if alert.last_seen_at else None,
        } for alert in self.search(domain)]
