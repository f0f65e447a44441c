from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..sync.business_hours import business_hours_between
from ..sync.planner import without_bitmap_scans

KINDS = [
    ("failure_rate", "Failure rate"),
    ("queue_age", "Queue age"),
    ("silence", "No delivery for longer than usual"),
    ("dead", "Dead events"),
    ("approval_age", "Approvals waiting"),
    ("outbound_disabled", "Outbound subscriptions disabled"),
    ("reconciliation", "Reconciliation differences"),
    ("volume_anomaly", "Unusual event volume"),
    ("error_anomaly", "Jump in an error class"),
]
# The threshold each kind starts with, and what it means (shown as the field's help on the form).
DEFAULT_THRESHOLDS = {
    "failure_rate": 5.0,      # % of the last 24 h's events failed or dead
    "queue_age": 30.0,        # minutes the oldest queued event has waited
    "silence": 2.0,           # times the longest silence seen at this time of the week
    "dead": 0.0,              # dead events tolerated
    "approval_age": 16.0,     # business hours the oldest approval item has waited (two days)
    "outbound_disabled": 0.0,  # disabled subscriptions tolerated
    "reconciliation": 0.0,    # reconciliation differences tolerated
    "volume_anomaly": 3.0,    # scaled MADs from the median (sync.anomaly)
    "error_anomaly": 3.0,     # scaled MADs from the median (sync.anomaly)
}
# Failure rates over fewer events than this say nothing (1 failure out of 3 is not 33 %).
FAILURE_RATE_MIN_EVENTS = 20
# "Longer than usual": the silence at the same moment of each of the last weeks.
SILENCE_WEEKS = 4
# Checks run for one kind over all its rules at once (one query per kind, not per system): the
# method `_check_<kind>(rules)` returns {rule id: {key: (value, message)}} for the breaches only.
CHECKS = {kind: "_check_%s" % kind for kind, _label in KINDS}


class ConstructionSyncAlertRule(models.Model):
    """What to watch on one external system, and who is told when it goes wrong. Every system gets
    one rule per kind with the defaults above (construction.sync.alert.rule._ensure_defaults);
    integration managers tune or deactivate them. Evaluated by a cron (construction.sync.alert)."""

    _name = "construction.sync.alert.rule"
    _description = "Sync Alert Rule"
    _order = "system_id, kind"

    system_id = fields.Many2one("construction.sync.system", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    kind = fields.Selection(KINDS, required=True)
    active = fields.Boolean(default=True)
    threshold = fields.Float(
        required=True,
        help="Failure rate: % of the last 24 h's events; queue age: minutes; silence: times the longest "
             "silence seen at this time of the week over the last 4 weeks; dead events, disabled "
             "subscriptions, reconciliation differences: how many are tolerated; approvals: business hours "
             "(Monday-Friday 8:00-17:00); anomalies: how many scaled MADs from the median.")
    user_ids = fields.Many2many(
        "res.users", string="Responsible",
        help="Told by an activity and an email when an alert opens. Empty: the company's integration managers.")
    tz = fields.Selection(
        "_tz_get", string="Time Zone", default=lambda self: self.env.user.tz or "UTC",
        help="Business hours and the hours named in messages are counted in this time zone.")
    alert_ids = fields.One2many("construction.sync.alert", "rule_id")

    _sql_constraints = [
        ("system_kind_uniq", "unique(system_id, kind)", "A system has one rule of each kind."),
        ("threshold_positive", "CHECK(threshold >= 0)", "A threshold cannot be negative."),
    ]

    @api.model
    def _tz_get(self):
        return self.env["res.partner"]._fields["tz"].selection(self.env["res.partner"])

    @api.depends("system_id", "kind")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for rule in self:
            rule.display_name = "%s: %s" % (rule.system_id.name, labels.get(rule.kind))

    # ------------------------------------------------------------------------------------------
    # defaults and evaluation
    # ------------------------------------------------------------------------------------------

    @api.model
    def _ensure_defaults(self):
        """Creates the missing default rules of every system (a rule deactivated by a manager
        still exists, so it is not created again)."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT s.id, k.kind FROM construction_sync_system s
             CROSS JOIN unnest(%s::varchar[]) AS k(kind)
             WHERE s.active AND NOT EXISTS (SELECT 1 FROM construction_sync_alert_rule r
                                             WHERE r.system_id = s.id AND r.kind = k.kind)
            """,
            ([kind for kind, _label in KINDS],),
        )
        missing = self.env.cr.fetchall()
        if missing:
            self.sudo().create([{"system_id": system_id, "kind": kind, "threshold": DEFAULT_THRESHOLDS[kind]}
                                for system_id, kind in missing])

    @api.model
    def _cron_evaluate(self):
        self._ensure_defaults()
        self.env["construction.sync.alert"]._evaluate(self.sudo().search([("system_id.active", "=", True)]))

    @api.model
    def evaluate_now(self):
        """Integration managers: evaluates every rule now instead of waiting for the cron.
        Returns {opened, resolved, open}: how many alerts opened, resolved, and are open after."""
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise AccessError(self.env._("Only integration managers can evaluate the alert rules."))
        self._ensure_defaults()
        rules = self.sudo().search([("system_id.active", "=", True), ("company_id", "in", self.env.companies.ids)])
        opened, resolved = self.env["construction.sync.alert"]._evaluate(rules)
        return {"opened": len(opened), "resolved": len(resolved),
                "open": self.env["construction.sync.alert"].search_count([("state", "=", "open")])}

    def _findings(self):
        """{rule: {key: (value, message)}} for the rules whose condition holds now."""
        findings = {}
        for kind, method in CHECKS.items():
            rules = self.filtered(lambda r, kind=kind: r.kind == kind)
            if rules:
                for rule_id, found in getattr(rules, method)().items():
                    if found:
                        findings[self.browse(rule_id)] = found
        return findings

    def _by_system(self):
        return {rule.system_id.id: rule for rule in self}

    def _fetch(self, query, params):
        # The checks count per system through partial indexes: without bitmap scans (sync.planner).
        with without_bitmap_scans(self.env.cr):
            self.env.cr.execute(query, params)
            return self.env.cr.fetchall()

    # ------------------------------------------------------------------------------------------
    # checks, one per kind (see CHECKS). Each reads index-backed aggregates per system (see
    # construction.sync.event's INDEXES), so a run stays fast with millions of done events.
    # ------------------------------------------------------------------------------------------

    def _check_failure_rate(self):
        rules = self._by_system()
        result = {}
        for system_id, received, failures in self._fetch(
                """
            SELECT s.id,
                   (SELECT count(*) FROM construction_sync_event e WHERE e.system_id = s.id
                       AND e.received_at > (now() at time zone 'utc') - interval '24 hours'),
                   (SELECT count(*) FROM construction_sync_event e WHERE e.system_id = s.id
                       AND e.received_at > (now() at time zone 'utc') - interval '24 hours'
                       AND e.state IN ('failed', 'dead'))
              FROM construction_sync_system s WHERE s.id = ANY(%s)
                """, (list(rules),)):
            rule = rules[system_id]
            if received < FAILURE_RATE_MIN_EVENTS:
                continue
            rate = 100.0 * failures / received
            if rate > rule.threshold:
                result[rule.id] = {"": (rate, self.env._(
                    "%(system)s: %(failures)s of %(received)s events of the last 24 hours failed (%(rate).1f %%, "
                    "threshold %(threshold).1f %%).", system=rule.system_id.name, failures=failures,
                    received=received, rate=rate, threshold=rule.threshold))}
        return result

    def _check_queue_age(self):
        rules = self._by_system()
        result = {}
        for system_id, oldest, queued in self._fetch(
                """
            SELECT s.id,
                   (SELECT min(received_at) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state IN ('pending', 'processing'))
              FROM construction_sync_system s WHERE s.id = ANY(%s)
                """, (list(rules),)):
            rule = rules[system_id]
            if not oldest:
                continue
            minutes = (fields.Datetime.now() - oldest).total_seconds() / 60.0
            if minutes > rule.threshold:
                result[rule.id] = {"": (minutes, self.env._(
                    "%(system)s: %(queued)s events queued, the oldest for %(minutes)d minutes "
                    "(threshold %(threshold)d).",
                    system=rule.system_id.name, queued=queued, minutes=minutes, threshold=rule.threshold))}
        return result

    def _check_dead(self):
        rules = self._by_system()
        result = {}
        for system_id, dead in self._fetch(
                """
            SELECT s.id, (SELECT count(*) FROM construction_sync_event e
                           WHERE e.system_id = s.id AND e.state = 'dead')
              FROM construction_sync_system s WHERE s.id = ANY(%s)
                """, (list(rules),)):
            rule = rules[system_id]
            if dead > rule.threshold:
                result[rule.id] = {"": (dead, self.env._(
                    "%(system)s: %(count)s dead events (retries exhausted) wait for a person.",
                    system=rule.system_id.name, count=dead))}
        return result

    def _check_approval_age(self):
        rules = self._by_system()
        result = {}
        now = fields.Datetime.now()
        for system_id, oldest, waiting in self._fetch(
                """
            SELECT s.id,
                   (SELECT min(received_at) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state = 'awaiting_approval'),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state = 'awaiting_approval')
              FROM construction_sync_system s WHERE s.id = ANY(%s)
                """, (list(rules),)):
            rule = rules[system_id]
            if not oldest:
                continue
            hours = business_hours_between(oldest, now, rule.tz)
            if hours > rule.threshold:
                result[rule.id] = {"": (hours, self.env._(
                    "%(system)s: %(count)s items await approval, the oldest for %(hours).1f business hours "
                    "(threshold %(threshold).0f).", system=rule.system_id.name, count=waiting, hours=hours,
                    threshold=rule.threshold))}
        return result

    def _check_silence(self):
        """No delivery for longer than usual: the silence now against the silences at the same
        moment of each of the last SILENCE_WEEKS weeks (from the hourly rollup), so a quiet Sunday
        or night is not an alert while a silent Tuesday morning is."""
        rules = self._by_system()
        result = {}
        now = fields.Datetime.now()
        horizon = now - timedelta(weeks=SILENCE_WEEKS, days=7)
        active_hours = {}
        for system_id, hour in self._fetch(
                """
            SELECT system_id, hour FROM construction_sync_event_hourly
             WHERE system_id = ANY(%s) AND hour >= %s AND count > 0
             GROUP BY system_id, hour ORDER BY system_id, hour
                """, (list(rules), horizon)):
            active_hours.setdefault(system_id, []).append(hour)
        last = dict(self._fetch(
            """
            SELECT s.id, (SELECT max(received_at) FROM construction_sync_event e WHERE e.system_id = s.id)
              FROM construction_sync_system s WHERE s.id = ANY(%s)
            """, (list(rules),)))
        for system_id, rule in rules.items():
            hours = active_hours.get(system_id, [])
            if not last.get(system_id) or not hours or hours[0] > now - timedelta(weeks=SILENCE_WEEKS):
                continue  # not enough history to know what usual is
            silences = []
            for week in range(1, SILENCE_WEEKS + 1):
                moment = now - timedelta(weeks=week)
                before = [hour for hour in hours if hour + timedelta(hours=1) <= moment]
                if before:
                    silences.append((moment - (before[-1] + timedelta(hours=1))).total_seconds() / 3600.0)
            if not silences:
                continue
            usual = max(max(silences), 1.0)
            silent = (now - last[system_id]).total_seconds() / 3600.0
            if silent > rule.threshold * usual:
                result[rule.id] = {"": (silent, self.env._(
                    "%(system)s has sent nothing for %(silent).1f hours; at this time of the week the longest "
                    "silence of the last %(weeks)s weeks was %(usual).1f hours.", system=rule.system_id.name,
                    silent=silent, weeks=SILENCE_WEEKS, usual=usual))}
        return result

    def _check_outbound_disabled(self):
        if "construction.sync.subscription" not in self.env:
            return {}
        rules = self._by_system()
        result = {}
        subscriptions = self.env["construction.sync.subscription"].sudo().with_context(active_test=False).search(
            [("system_id", "in", list(rules)), ("active", "=", False), ("disabled_at", "!=", False)])
        by_system = {}
        for subscription in subscriptions:
            by_system.setdefault(subscription.system_id.id, []).append(subscription)
        for system_id, disabled in by_system.items():
            rule = rules[system_id]
            if len(disabled) > rule.threshold:
                result[rule.id] = {
                    "subscription:%s" % sub.id: (1.0, self.env._(
                        "%(system)s: outbound subscription %(name)s was disabled on %(at)s: %(reason)s",
                        system=rule.system_id.name, name=sub.name, at=fields.Datetime.to_string(sub.disabled_at),
                        reason=sub.disabled_reason or self.env._("no reason recorded")))
                    for sub in disabled
                }
        return result

    def _check_reconciliation(self):
        """Open reconciliation differences (issue #16's construction.sync.difference, state open)
        per system. Looked up by name so the engine's alerts load whether or not reconciliation
        is there; without the model nothing is checked."""
        if "construction.sync.difference" not in self.env:
            return {}
        rules = self._by_system()
        counts = {}
        groups = self.env["construction.sync.difference"].sudo()._read_group(
            [("system_id", "in", list(rules)), ("state", "=", "open")], ["system_id", "object_type"], ["__count"])
        for system, object_type, count in groups:
            counts.setdefault(system.id, []).append((object_type, count))
        result = {}
        for system_id, per_type in counts.items():
            rule = rules[system_id]
            total = sum(count for _type, count in per_type)
            if total > rule.threshold:
                detail = ", ".join("%s %s" % (count, object_type) for object_type, count in sorted(per_type))
                result[rule.id] = {"": (total, self.env._(
                    "%(system)s: %(count)s open reconciliation differences (%(detail)s).",
                    system=rule.system_id.name, count=total, detail=detail))}
        return result

    def _check_volume_anomaly(self):
        return self.env["construction.sync.anomaly"]._volume_findings(self)

    def _check_error_anomaly(self):
        return self.env["construction.sync.anomaly"]._error_findings(self)

    def _recipients(self):
        """The users told about this rule's alerts."""
        self.ensure_one()
        if self.user_ids:
            return self.user_ids
        group = self.env.ref("construction_sync.group_manager")
        return group.sudo().users.filtered(lambda u: self.company_id in u.company_ids and not u.share)
