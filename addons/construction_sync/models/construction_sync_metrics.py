import hmac
import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..sync import metrics
from ..sync.metrics import LATENCY_BUCKETS, Family
from ..sync.planner import without_bitmap_scans
from .construction_sync_event_hourly import WATERMARK_PARAM, hour_of

TOKEN_PARAM = "construction_sync.metrics_token"


def _cumulative(column, buckets=LATENCY_BUCKETS):
    """count(*) FILTER per bucket bound: the histogram's cumulative buckets in one pass."""
    return SQL(", ").join(SQL("count(*) FILTER (WHERE %s <= %s)", column, bound) for bound in buckets)


class ConstructionSyncMetrics(models.AbstractModel):
    """What GET /construction_sync/metrics answers, in Prometheus text format (sync.metrics).

    Every figure is a gauge over a recent window or a current level, read from indexes, the
    hourly rollup and the per-minute latency counts, so a scrape stays fast with millions of
    events: the events and rejected deliveries of the last 24 hours, the queue now, the
    exceptions now, the latency of the events applied in the last hour (construction.sync.
    latency, counted as they are applied), the runners' current claims, the outbound queue and the
    outbound attempts of the last hour. Nothing is a lifetime counter: done events are purged, so
    a counter would go backwards (see readme/CONFIGURE.md for the queries to use)."""

    _name = "construction.sync.metrics"
    _description = "Sync Metrics for Prometheus"

    @api.model
    def _ensure_token(self):
        """Generates the bearer token at install (kept on update); an administrator reads or
        replaces it in the system parameters."""
        Param = self.env["ir.config_parameter"].sudo()
        if not Param.get_param(TOKEN_PARAM):
            Param.set_param(TOKEN_PARAM, secrets.token_urlsafe(32))

    @api.model
    def _check_token(self, authorization):
        """Whether an Authorization header carries the configured token; compared in constant time."""
        expected = self.env["ir.config_parameter"].sudo().get_param(TOKEN_PARAM) or ""
        scheme, _sep, token = (authorization or "").partition(" ")
        if not expected or scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode(), expected.encode())

    def _rows(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    @api.model
    def _render(self):
        self.env.flush_all()
        # The per-system subqueries below are index lookups of a millisecond, but their estimated
        # cost (the systems table unanalyzed, millions of events) makes PostgreSQL JIT-compile
        # them first: 0.3 s of compilation for 5 ms of work. Off for this transaction only.
        self.env.cr.execute("SET LOCAL jit = off")
        cr_now = fields.Datetime.now()
        rows = self._rows(SQL("SELECT id, code, company_id FROM construction_sync_system"))
        codes = [code for _id, code, _company in rows]
        # A code is unique per company only: two companies' systems of one code must not make
        # two series with the same labels, which a scraper refuses.
        systems = {system_id: code if codes.count(code) == 1 else "%s-%s" % (code, company_id)
                   for system_id, code, company_id in rows}
        system_ids = list(systems)
        families = []

        events = Family("construction_sync_events_24h", "gauge",
                        "Events received over the last 24 hours by system, event type and current state.")
        # Hours already rolled up from the rollup, the rest live from the (system_id, received_at)
        # index: at most the current hour and the one before when the rollup cron is due.
        # Whole hours: the current one and the 23 before it.
        since = hour_of(cr_now) - timedelta(hours=23)
        rolled = fields.Datetime.to_datetime(
            self.env["ir.config_parameter"].sudo().get_param(WATERMARK_PARAM) or None)
        live_from = max(rolled + timedelta(hours=1), since) if rolled else since
        for system_id, event_type, state, count in self._rows(SQL(
                """
            SELECT system_id, event_type, state, sum(count)::bigint FROM (
                SELECT system_id, event_type, state, count FROM construction_sync_event_hourly
                 WHERE hour >= %s AND hour < %s
                UNION ALL
                SELECT system_id, event_type, state, count(*) FROM construction_sync_event
                 WHERE system_id = ANY(%s) AND received_at >= %s
                 GROUP BY 1, 2, 3) AS t
             GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                """, since, live_from, system_ids, live_from)):
            events.add(count, system=systems.get(system_id, system_id), type=event_type, state=state)
        families.append(events)

        rejected = Family("construction_sync_deliveries_rejected_24h", "gauge",
                          "Authenticated deliveries refused over the last 24 hours by system and error code.")
        for system_id, code, count in self._rows(SQL(
                """
            SELECT system_id, COALESCE(error_code, ''), count(*) FROM construction_sync_rejected_delivery
             WHERE received_at > %s GROUP BY 1, 2 ORDER BY 1, 2
                """, cr_now - timedelta(hours=24))):
            rejected.add(count, system=systems.get(system_id, system_id), code=code)
        families.append(rejected)

        depth = Family("construction_sync_queue_depth", "gauge", "Events queued (pending or processing) by system.")
        age = Family("construction_sync_queue_oldest_age_seconds", "gauge",
                     "Age of the oldest queued event by system, 0 when the queue is empty.")
        exceptions = Family("construction_sync_exceptions", "gauge",
                            "Events waiting for a person by system and state (failed, dead, awaiting approval).")
        # Failed and dead together are counted from their partial index alone (no table read);
        # dead ones are few, found through the state index; failed is the difference. Counting
        # state = 'failed' directly reads every failed row of the table (100 000 rows: 0.3 s).
        # Without bitmap scans (sync.planner): the partial indexes, whatever the visibility map says.
        with without_bitmap_scans(self.env.cr):
            counts = self._rows(SQL(
                """
                SELECT s.id,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')),
                       (SELECT min(received_at) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')),
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state IN ('failed', 'dead')),
                       (SELECT count(*) FROM construction_sync_event e WHERE e.system_id = s.id AND e.state = 'dead'),
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state = 'awaiting_approval')
                  FROM construction_sync_system s ORDER BY s.id
                """))
        for system_id, queued, oldest, failed_or_dead, dead, awaiting in counts:
            label = systems[system_id]
            depth.add(queued, system=label)
            age.add(float((cr_now - oldest).total_seconds()) if oldest else 0.0, system=label)
            exceptions.add(failed_or_dead - dead, system=label, state="failed")
            exceptions.add(dead, system=label, state="dead")
            exceptions.add(awaiting, system=label, state="awaiting_approval")
        families += [depth, age, exceptions]

        latency = Family("construction_sync_processing_latency_seconds", "histogram",
                         "Seconds from reception to applied, of the events applied over the last hour.")
        rows = {}
        histogram = self.env["construction.sync.latency"]._histogram(cr_now - timedelta(hours=1))
        for system_id, (cumulative, total, count) in sorted(histogram.items()):
            rows[(("system", systems.get(system_id, system_id)),)] = (cumulative, total, count)
        families.append(latency.histogram(rows))

        claimed = Family("construction_sync_runner_claimed_events", "gauge",
                         "Events claimed by a runner right now (state processing) by processing mode.")
        claims = Family("construction_sync_runner_claims", "gauge",
                        "Claims held by runners right now (distinct claim tokens) by processing mode.")
        found = {mode: (0, 0) for mode in ("realtime", "batch")}
        for mode, events_count, claims_count in self._rows(SQL(
                """
            SELECT processing_mode, count(*), count(DISTINCT claim_token) FROM construction_sync_event
             WHERE state = 'processing' GROUP BY 1
                """)):
            found[mode] = (events_count, claims_count)
        for mode, (events_count, claims_count) in sorted(found.items()):
            claimed.add(events_count, mode=mode)
            claims.add(claims_count, mode=mode)
        families += [claimed, claims]

        alerts = Family("construction_sync_alerts_open", "gauge", "Open alerts by system and kind.")
        for system_id, kind, count in self._rows(SQL(
                "SELECT system_id, kind, count(*) FROM construction_sync_alert WHERE state = 'open'"
                " GROUP BY 1, 2 ORDER BY 1, 2")):
            alerts.add(count, system=systems.get(system_id, system_id), kind=kind)
        families.append(alerts)

        families += self._outbound_families(cr_now)
        return metrics.render(families)

    @api.model
    def _outbound_families(self, now):
        """Outbound (construction.sync.outbox): the queue and dead letters per subscription now,
        and the delivery attempts of the last hour with their latency."""
        if "construction.sync.outbox" not in self.env:
            return []
        names = dict(self._rows(SQL("SELECT id, name FROM construction_sync_subscription")))
        queued = Family("construction_sync_outbound_queue_depth", "gauge",
                        "Outbound messages queued (being sent included) by subscription.")
        for subscription_id, count in self._rows(SQL(
                "SELECT subscription_id, count(*) FROM construction_sync_outbox"
                " WHERE state = 'pending' GROUP BY 1 ORDER BY 1")):
            queued.add(count, subscription=names.get(subscription_id, subscription_id))
        dead = Family("construction_sync_outbound_dead", "gauge", "Outbound messages dead by subscription.")
        for subscription_id, count in self._rows(SQL(
                "SELECT subscription_id, count(*) FROM construction_sync_outbox WHERE state = 'dead'"
                " GROUP BY 1 ORDER BY 1")):
            dead.add(count, subscription=names.get(subscription_id, subscription_id))
        attempts = Family("construction_sync_outbound_attempts_1h", "gauge",
                          "Outbound delivery attempts over the last hour by subscription and outcome.")
        latency = Family("construction_sync_outbound_latency_seconds", "histogram",
                         "Seconds each outbound delivery attempt of the last hour took, by subscription.")
        seconds = SQL("(latency_ms / 1000.0)")
        since = now - timedelta(hours=1)
        rows = {}
        for row in self._rows(SQL(
                """
            SELECT subscription_id, count(*) FILTER (WHERE success), count(*) FILTER (WHERE NOT success),
                   %s, sum(%s), count(*)
              FROM construction_sync_outbox_attempt WHERE at >= %s GROUP BY 1 ORDER BY 1
                """, _cumulative(seconds), seconds, since)):
            label = names.get(row[0], row[0])
            attempts.add(row[1], subscription=label, outcome="delivered")
            attempts.add(row[2], subscription=label, outcome="failed")
            rows[(("subscription", label),)] = (row[3:-2], row[-2], row[-1])
        return [queued, dead, attempts, latency.histogram(rows)]

    def init(self):
        # The scrape reads the last hour of outbound attempts: without this index, every attempt ever made.
        self.env.cr.execute("SELECT to_regclass('construction_sync_outbox_attempt')")
        if self.env.cr.fetchone()[0]:
            self.env.cr.execute(
                "CREATE INDEX IF NOT EXISTS construction_sync_outbox_attempt_at_idx"
                " ON construction_sync_outbox_attempt (at)"
            )
