from datetime import timedelta

from odoo import api, fields, models

from ..sync.metrics import LATENCY_BUCKETS

# Observations older than this are deleted by the hourly rollup: the histogram covers one hour.
KEEP = timedelta(hours=2)


class ConstructionSyncLatency(models.Model):
    """How long events took from reception to applied, counted as they are applied: per minute,
    system, histogram bucket and database session, so that no two runners ever write one row
    (each session adds to its own rows in its own transaction, without waiting for another's).

    GET /construction_sync/metrics sums the last hour of these rows. It used to read every
    event received in the last hour from the event table, a scrape growing with the traffic
    (100 000 events: 0.1 s of the scrape's heap reads)."""

    _name = "construction.sync.latency"
    _description = "Sync Processing Latency per Minute"
    _log_access = False

    minute = fields.Datetime(required=True, readonly=True, help="The minute the events were applied in (UTC).")
    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, ondelete="cascade")
    backend = fields.Integer(required=True, readonly=True, help="PostgreSQL backend of the session that applied them.")
    bucket = fields.Integer(
        required=True, readonly=True,
        help="Index of the smallest bound of LATENCY_BUCKETS the latency is at most; their count for above them all.")
    count = fields.Integer(required=True, readonly=True)
    seconds = fields.Float(required=True, readonly=True, help="Sum of the latencies, in seconds.")

    _sql_constraints = [
        ("minute_system_backend_bucket_uniq", "unique(minute, system_id, backend, bucket)",
         "One row per minute, system, session and bucket."),
    ]

    @api.model
    def _observe(self, event_ids, finished_at):
        """Counts the latency of events applied at `finished_at` (received_at to finished_at).
        The bucket is the index of the first bound the latency does not exceed (Prometheus' le):
        width_bucket() counts the bounds at or below a value, so it is given the negated bounds
        in ascending order and the negated latency, and the count it returns is subtracted from
        the number of bounds."""
        if not event_ids:
            return
        self.env.cr.execute(
            """
            INSERT INTO construction_sync_latency AS l (minute, system_id, backend, bucket, count, seconds)
            SELECT date_trunc('minute', %(at)s::timestamp), e.system_id, pg_backend_pid(),
                   %(size)s - width_bucket(-extract(epoch FROM %(at)s::timestamp - e.received_at), %(bounds)s),
                   count(*), sum(extract(epoch FROM %(at)s::timestamp - e.received_at))
              FROM construction_sync_event e
             WHERE e.id = ANY(%(ids)s) AND e.received_at IS NOT NULL
             GROUP BY 1, 2, 3, 4
                ON CONFLICT (minute, system_id, backend, bucket)
                DO UPDATE SET count = l.count + EXCLUDED.count, seconds = l.seconds + EXCLUDED.seconds
            """,
            {"at": finished_at, "ids": list(event_ids), "size": len(LATENCY_BUCKETS),
             "bounds": [-bound for bound in reversed(LATENCY_BUCKETS)]},
        )

    @api.model
    def _histogram(self, since):
        """{system_id: (cumulative counts per bound, sum of seconds, count)} of the events applied
        from `since` on."""
        self.env.cr.execute(
            "SELECT system_id, bucket, sum(count), sum(seconds) FROM construction_sync_latency"
            " WHERE minute >= date_trunc('minute', %s::timestamp) GROUP BY 1, 2",
            (since,),
        )
        per_bucket = {}
        for system_id, bucket, count, seconds in self.env.cr.fetchall():
            counts, total = per_bucket.setdefault(system_id, ([0] * (len(LATENCY_BUCKETS) + 1), [0.0]))
            counts[bucket] += int(count)
            total[0] += float(seconds)
        histogram = {}
        for system_id, (counts, total) in per_bucket.items():
            cumulative, running = [], 0
            for count in counts[:-1]:
                running += count
                cumulative.append(running)
            histogram[system_id] = (tuple(cumulative), total[0], sum(counts))
        return histogram

    @api.model
    def _purge(self, now):
        self.env.cr.execute("DELETE FROM construction_sync_latency WHERE minute < %s", (now - KEEP,))
