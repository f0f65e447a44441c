from datetime import timedelta

from odoo import api, fields, models

from .construction_sync_event import STATES

# The rollup keeps a little more than the longest trend window the cockpit offers.
KEEP_DAYS = 31
# The parameter holding the last closed hour already rolled up (naive UTC, Odoo format).
WATERMARK_PARAM = "construction_sync.hourly_rolled_until"


def hour_of(moment):
    return moment.replace(minute=0, second=0, microsecond=0)


class ConstructionSyncEventHourly(models.Model):
    """Events per received hour, system, type, state and error class: what the cockpit's trends
    read instead of the event table.

    Why a rollup: a GROUP BY over 30 days of events reads every row (a million and more), far
    from the cockpit's 150 ms budget. Closed hours are rolled up once, incrementally, by a cron
    every hour and by the first trend read that finds hours missing; only the current hour is
    counted live, from the (system_id, received_at) index.

    An event is counted in the hour it was received, in the state it has now. When an event of
    an hour already rolled up changes state later (a retry, a replay, a backlog drained late),
    construction.sync.event._transition marks that hour dirty and the next rollup counts it
    again: the trend never keeps a failure that was since fixed. Purged done events stay counted
    unless their hour is rolled up again after the purge.
    """

    _name = "construction.sync.event.hourly"
    _description = "Synced Events per Hour"
    _order = "hour desc"
    _log_access = False

    hour = fields.Datetime(required=True, readonly=True)
    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    event_type = fields.Char(required=True, readonly=True)
    state = fields.Selection(STATES, required=True, readonly=True)
    # '' rather than NULL, so that the uniqueness below holds for events without an error.
    error_class = fields.Char(required=True, readonly=True, default="")
    count = fields.Integer(required=True, readonly=True)

    _sql_constraints = [
        ("bucket_uniq", "unique(hour, system_id, event_type, state, error_class)",
         "One row per hour, system, event type, state and error class."),
    ]

    def init(self):
        # Trend reads select a window of hours for the user's companies.
        self.env.cr.execute(
            "CREATE INDEX IF NOT EXISTS construction_sync_event_hourly_window_idx"
            " ON construction_sync_event_hourly (hour, company_id) INCLUDE (system_id, state, count)"
        )

    @api.model
    def _cron_rollup(self):
        self._rollup()
        self.env["construction.sync.latency"]._purge(fields.Datetime.now())

    @api.model
    def _rollup(self):
        """Rolls up every closed hour not rolled up yet and every dirty one. Returns the number
        of hours counted, or None when another transaction is rolling up right now (the caller
        then reads what is there: at most an hour behind)."""
        cr = self.env.cr
        # Two cockpits opening at the same time must not insert the same buckets twice.
        cr.execute("SELECT pg_try_advisory_xact_lock(hashtext('construction_sync_event_hourly'))")
        (locked,) = cr.fetchone()
        if not locked:
            return None
        Param = self.env["ir.config_parameter"].sudo()
        current = hour_of(fields.Datetime.now())
        horizon = current - timedelta(days=KEEP_DAYS)
        watermark = fields.Datetime.to_datetime(Param.get_param(WATERMARK_PARAM) or None)
        start = max(watermark + timedelta(hours=1), horizon) if watermark else horizon
        cr.execute(
            "DELETE FROM construction_sync_event_hourly_dirty WHERE hour < %s RETURNING hour",
            (current,),
        )
        dirty = sorted({hour for (hour,) in cr.fetchall() if hour >= horizon and hour < start})
        ranges = [(hour, hour + timedelta(hours=1)) for hour in dirty]
        if start < current:
            ranges.append((start, current))
        if not ranges:
            return 0
        cr.execute("SELECT id FROM construction_sync_system")
        system_ids = [system_id for (system_id,) in cr.fetchall()]
        for date_from, date_to in ranges:
            cr.execute(
                "DELETE FROM construction_sync_event_hourly WHERE hour >= %s AND hour < %s",
                (date_from, date_to),
            )
            # system_id = ANY(...) lets PostgreSQL read one hour through the (system_id,
            # received_at) index instead of scanning the table.
            cr.execute(
                """
                INSERT INTO construction_sync_event_hourly
                       (hour, system_id, company_id, event_type, state, error_class, count)
                SELECT date_trunc('hour', received_at), system_id, company_id, event_type, state,
                       COALESCE(error_class, ''), count(*)
                  FROM construction_sync_event
                 WHERE system_id = ANY(%s) AND received_at >= %s AND received_at < %s
                 GROUP BY 1, 2, 3, 4, 5, 6
                """,
                (system_ids, date_from, date_to),
            )
        cr.execute("DELETE FROM construction_sync_event_hourly WHERE hour < %s", (horizon,))
        Param.set_param(WATERMARK_PARAM, fields.Datetime.to_string(current - timedelta(hours=1)))
        return len(dirty) + (int((current - start).total_seconds() // 3600) if start < current else 0)
