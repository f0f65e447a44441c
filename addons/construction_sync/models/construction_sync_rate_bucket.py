import os
import socket
import threading

from odoo import api, fields, models

# The window a system's rate_limit_per_minute applies to.
WINDOW_SECONDS = 60
# Rows of a system older than this are left to the purge cron, the newer ones to the workers that
# wrote them (each deletes its own): the two never delete the same row.
ORPHAN_SECONDS = 3600


def _shard():
    """This worker's own row per system and second: the process and thread it runs in. A worker
    runs one transaction at a time, so no two transactions ever update one row: under REPEATABLE
    READ two upserts of one row conflict ("could not serialize access"), and rows shared by a few
    shards did under a threaded server's concurrent deliveries. The host name makes two nodes'
    workers differ, and Python salts the hash of a text per process."""
    return hash((socket.gethostname(), os.getpid(), threading.get_ident())) & 0x7FFFFFFF


class ConstructionSyncRateBucket(models.Model):
    """The deliveries each system made per second of the last minute, for its rate limit.

    Counted in the delivery's own transaction, so a delivery that rolls back is not counted and
    the limit holds across workers and nodes. Checking costs the same at any traffic: the sum of
    at most WINDOW_SECONDS rows per worker through the unique index, where counting the stored
    events of the last minute grew with the very traffic the limit is meant to cap."""

    _name = "construction.sync.rate.bucket"
    _description = "Deliveries per System and Second"
    _log_access = False

    system_id = fields.Many2one("construction.sync.system", required=True, ondelete="cascade", readonly=True)
    second_at = fields.Datetime(required=True, readonly=True, help="The second (UTC) the deliveries arrived in.")
    shard = fields.Integer(required=True, readonly=True)
    hits = fields.Integer(required=True, readonly=True)

    _sql_constraints = [
        ("bucket_uniq", "unique(system_id, second_at, shard)", "One row per system, second and shard."),
    ]

    @api.model
    def _purge(self):
        """Rows of workers gone for an hour (a restarted process, a recycled worker): the live
        ones delete their own as they go."""
        self.env.cr.execute(
            "DELETE FROM construction_sync_rate_bucket WHERE second_at <= (statement_timestamp() at time zone 'utc')"
            " - make_interval(secs => %s)",
            (ORPHAN_SECONDS,),
        )

    @api.model
    def _take(self, system_id, limit):
        """Counts one delivery of `system_id` unless `limit` deliveries arrived in the last
        WINDOW_SECONDS. Returns None when counted, else the seconds until the oldest of those
        leaves the window (at least 1). Concurrent deliveries at the boundary may each see the
        count before the others' increments: a soft limit, overshooting by a few at most."""
        shard = _shard()
        self.env.cr.execute(
            """
            WITH now_ AS (
                SELECT date_trunc('second', statement_timestamp() at time zone 'utc') AS second_at
            ), recent AS (
                SELECT coalesce(sum(b.hits), 0) AS hits, min(b.second_at) AS oldest
                  FROM construction_sync_rate_bucket b, now_
                 WHERE b.system_id = %(system)s
                   AND b.second_at > now_.second_at - make_interval(secs => %(window)s)
            ), bump AS (
                INSERT INTO construction_sync_rate_bucket AS b (system_id, second_at, shard, hits)
                SELECT %(system)s, now_.second_at, %(shard)s, 1 FROM now_, recent WHERE recent.hits < %(limit)s
                ON CONFLICT (system_id, second_at, shard) DO UPDATE SET hits = b.hits + 1
                RETURNING xmax = 0 AS inserted
            )
            SELECT recent.hits, extract(epoch FROM recent.oldest + make_interval(secs => %(window)s)
                                                  - now_.second_at),
                   (SELECT bool_or(inserted) FROM bump)
              FROM recent, now_
            """,
            {"system": system_id, "window": WINDOW_SECONDS, "shard": shard, "limit": limit},
        )
        hits, seconds_left, inserted = self.env.cr.fetchone()
        if inserted:
            # A worker's first delivery in a new second: its rows that left the window go, so the
            # table holds about a minute of rows per worker whatever the traffic, with no cron to
            # wait for. Only its own rows: nobody else writes or deletes them.
            self.env.cr.execute(
                """
                DELETE FROM construction_sync_rate_bucket
                 WHERE system_id = %(system)s AND shard = %(shard)s
                   AND second_at <= date_trunc('second', statement_timestamp() at time zone 'utc')
                                    - make_interval(secs => %(window)s)
                   AND second_at > (statement_timestamp() at time zone 'utc') - make_interval(secs => %(orphan)s)
                """,
                {"system": system_id, "shard": shard, "window": WINDOW_SECONDS, "orphan": ORPHAN_SECONDS},
            )
        if hits < limit:
            return None
        return max(1, int(seconds_left or WINDOW_SECONDS))
