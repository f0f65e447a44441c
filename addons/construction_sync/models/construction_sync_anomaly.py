from datetime import timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..sync import anomaly
from .construction_sync_event_hourly import hour_of

_lt = LazyTranslate(__name__)

# The window scored: the last closed hours ("between 9:00 and 11:00").
WINDOW_HOURS = 2
# Weeks of baseline: the same weekday and hours of each of the previous weeks. The hourly rollup
# keeps 31 days (construction_sync_event_hourly.KEEP_DAYS), so 4 weeks; raise both for 8.
BASELINE_WEEKS = 4
# A baseline of fewer weeks than this is not a baseline (a new system or event type).
MIN_WEEKS = 3
# Differences smaller than this many events are never an anomaly, however unusual.
MIN_CHANGE = 5
WEEKDAYS = [_lt("Mondays"), _lt("Tuesdays"), _lt("Wednesdays"), _lt("Thursdays"), _lt("Fridays"),
            _lt("Saturdays"), _lt("Sundays")]
ERROR_KEY = "error:"


class ConstructionSyncAnomaly(models.AbstractModel):
    """Statistical, explainable anomaly detection over the hourly rollup
    (construction.sync.event.hourly): each system's volume per event type, and its failures per
    error class, in the last closed hours against the same weekday and hours of the previous
    weeks, by median and MAD (sync.anomaly). Every flag names the baseline it compared against.
    Amounts (a vendor's invoices) are scored by `_amount_flag`, which a domain addon calls with
    the history it owns: the engine knows no invoice."""

    _name = "construction.sync.anomaly"
    _description = "Sync Anomaly Detection"

    @api.model
    def _window(self, now=None):
        end = hour_of(now or fields.Datetime.now())
        return end - timedelta(hours=WINDOW_HOURS), end

    @api.model
    def _weekly_counts(self, system_ids, start, end, errors, weeks=BASELINE_WEEKS):
        """{(system id, key): {week: count}} for week 0 (the window) and the `weeks` before it,
        plus {(system id, week)}: the weeks in which the system sent anything at all."""
        # One pass over the rollup's (hour, company_id) index: a few thousand rows per window.
        column = SQL("h.error_class") if errors else SQL("h.event_type")
        only_errors = SQL("AND h.state IN ('failed', 'dead') AND h.error_class <> ''") if errors else SQL("")
        self.env.cr.execute(SQL(
            """
            SELECT h.system_id, %s, k.week, sum(h.count)
              FROM generate_series(0, %s) AS k(week)
              JOIN construction_sync_event_hourly h
                ON h.hour >= %s - k.week * interval '7 days' AND h.hour < %s - k.week * interval '7 days'
             WHERE h.system_id = ANY(%s) %s
             GROUP BY 1, 2, 3
            """, column, weeks, start, end, list(system_ids), only_errors))
        counts, active = {}, set()
        for system_id, key, week, count in self.env.cr.fetchall():
            counts.setdefault((system_id, key), {})[week] = count
            active.add((system_id, week))
        if errors:
            # A week without failures is a sample of 0 failures when the system was sending then.
            self.env.cr.execute(
                """
                SELECT DISTINCT h.system_id, k.week
                  FROM generate_series(1, %s) AS k(week)
                  JOIN construction_sync_event_hourly h
                    ON h.hour >= %s - k.week * interval '7 days' AND h.hour < %s - k.week * interval '7 days'
                 WHERE h.system_id = ANY(%s)
                """, (weeks, start, end, list(system_ids)))
            active |= set(self.env.cr.fetchall())
        return counts, active

    @api.model
    def _score(self, rules, errors, now=None):
        """[(rule, key, verdict, value, Baseline, start, end)] for the rules' systems."""
        if not rules:
            return []
        self.env.flush_all()
        self.env["construction.sync.event.hourly"]._rollup()
        start, end = self._window(now)
        by_system = {rule.system_id.id: rule for rule in rules}
        counts, active = self._weekly_counts(list(by_system), start, end, errors)
        flags = []
        for (system_id, key), weekly in counts.items():
            rule = by_system[system_id]
            history = [weekly.get(week, 0) for week in range(1, BASELINE_WEEKS + 1) if (system_id, week) in active]
            found = anomaly.volume_flags({key: weekly.get(0, 0)}, {key: history},
                                         sensitivity=rule.threshold or anomaly.DEFAULT_SENSITIVITY,
                                         min_samples=MIN_WEEKS, min_change=MIN_CHANGE)
            for _key, verdict, value, baseline in found:
                flags.append((rule, key, verdict, value, baseline, start, end))
        return flags

    def _describe(self, rule, key, value, baseline, start, end, errors):
        tz = pytz.timezone(rule.tz or "UTC")
        local_start = pytz.utc.localize(start).astimezone(tz)
        local_end = pytz.utc.localize(end).astimezone(tz)
        low, high = baseline.usual_range()
        values = {
            "system": rule.system_id.name, "value": value, "key": key,
            "start": "%d:%02d" % (local_start.hour, local_start.minute),
            "end": "%d:%02d" % (local_end.hour, local_end.minute),
            "weekday": str(WEEKDAYS[local_start.weekday()]), "low": low, "high": high,
            "median": "%g" % baseline.median, "mad": "%g" % baseline.mad, "weeks": len(baseline.samples),
        }
        if errors:
            return self.env._(
                "%(system)s had %(value)s %(key)s errors between %(start)s and %(end)s; on %(weekday)s it "
                "usually has %(low)s-%(high)s (median %(median)s, MAD %(mad)s over the last %(weeks)s weeks).",
                **values)
        return self.env._(
            "%(system)s sent %(value)s %(key)s events between %(start)s and %(end)s; on %(weekday)s it "
            "usually sends %(low)s-%(high)s (median %(median)s, MAD %(mad)s over the last %(weeks)s weeks).",
            **values)

    @api.model
    def _volume_findings(self, rules, now=None):
        """Findings of the volume_anomaly alert rules: {rule id: {event type: (value, message)}}."""
        result = {}
        for rule, key, _verdict, value, baseline, start, end in self._score(rules, False, now):
            result.setdefault(rule.id, {})[key] = (
                value, self._describe(rule, key, value, baseline, start, end, False))
        return result

    @api.model
    def _error_findings(self, rules, now=None):
        """Findings of the error_anomaly rules: jumps only (fewer errors than usual is good news)."""
        result = {}
        for rule, key, verdict, value, baseline, start, end in self._score(rules, True, now):
            if verdict == "surge":
                result.setdefault(rule.id, {})[ERROR_KEY + key] = (
                    value, self._describe(rule, key, value, baseline, start, end, True))
        return result

    @api.model
    def get_anomalies(self, system_id=None):
        """What the cockpit shows: [{system_id, system, kind, key, verdict, value, low, high, median,
        mad, weeks, message}] for the systems the user may see, with their rules' sensitivities."""
        if not self.env.user.has_group("construction_sync.group_user"):
            raise AccessError(self.env._("Anomalies are for integration users."))
        systems = self.env["construction.sync.system"].search([("id", "=", int(system_id))] if system_id else [])
        Rule = self.env["construction.sync.alert.rule"].sudo()
        Rule._ensure_defaults()
        result = []
        for errors, kind in ((False, "volume_anomaly"), (True, "error_anomaly")):
            rules = Rule.search([("system_id", "in", systems.ids), ("kind", "=", kind)])
            for rule, key, verdict, value, baseline, start, end in self._score(rules, errors):
                if errors and verdict != "surge":
                    continue
                low, high = baseline.usual_range()
                result.append({
                    "system_id": rule.system_id.id, "system": rule.system_id.name, "kind": kind, "key": key,
                    "verdict": verdict, "value": value, "low": low, "high": high, "median": baseline.median,
                    "mad": baseline.mad, "weeks": len(baseline.samples),
                    "message": self._describe(rule, key, value, baseline, start, end, errors),
                })
        return result

    @api.model
    def _amount_flag(self, party, amount, history, currency=None):
        """The hook for domain addons: a message when `amount` lies far outside `history` (the
        party's usual amounts, e.g. a vendor's last invoices), None otherwise. The message names
        the baseline so an accountant can judge it."""
        verdict, baseline = anomaly.amount_outlier(amount, history)
        if not verdict:
            return None
        low, high = baseline.low, baseline.high
        fmt = (lambda value: currency.format(value)) if currency else (lambda value: "%.2f" % value)
        return self.env._(
            "%(party)s: %(amount)s is far outside its usual amounts (%(low)s-%(high)s, median %(median)s "
            "over its last %(count)s).", party=party, amount=fmt(amount), low=fmt(low), high=fmt(high),
            median=fmt(baseline.median), count=len(baseline.samples))
