import os
import socket
import threading
import time

from odoo import api, fields, models

# The window a system's rate_limit_per_minute applies to.
WINDOW_SECONDS = 60
# Rows of a system older than this are left to the purge cron, the newer ones to the workers that
# wrote them (each deletes its own): the two never delete the same row.
ORPHAN_SECONDS = 3600


# The pieces both functions below are made of: this second (v_second), the window's total
# (hits, and seconds_left until its oldest second leaves it), and this worker's row for this second
# raised by a count (inserted: true for a new row, false for one more in it).
_DECLARE = """
DECLARE
    v_second timestamp := date_trunc('second', statement_timestamp() at time zone 'utc');
    v_oldest timestamp;
"""
_WINDOW = """
    SELECT coalesce(sum(b.hits), 0), min(b.second_at) INTO hits, v_oldest
      FROM construction_sync_rate_bucket b
     WHERE b.system_id = p_system AND b.second_at > v_second - make_interval(secs => p_window);
    seconds_left := extract(epoch FROM v_oldest + make_interval(secs => p_window) - v_second);
"""
_COUNT = """
        INSERT INTO construction_sync_rate_bucket AS b (system_id, second_at, shard, hits)
        VALUES (p_system, v_second, p_shard, {count})
        ON CONFLICT (system_id, second_at, shard) DO UPDATE SET hits = b.hits + {count}
        RETURNING xmax = 0 INTO inserted;
"""
# Counts one delivery of p_system in this second's row of p_shard unless p_limit deliveries
# arrived in the last p_window seconds: hits (before this one), seconds_left, inserted (null: over
# the limit, nothing counted).
TAKE_FUNCTION = """
CREATE OR REPLACE FUNCTION construction_sync_rate_take(
    p_system integer, p_shard integer, p_limit integer, p_window integer,
    OUT hits bigint, OUT seconds_left double precision, OUT inserted boolean)
LANGUAGE plpgsql AS $$""" + _DECLARE + """BEGIN""" + _WINDOW + """    inserted := NULL;
    IF hits < p_limit THEN""" + _COUNT.format(count="1") + """    END IF;
END $$
"""
# Adds p_hits deliveries (counted in a worker's memory, see _Tally) to this second's row of p_shard
# and returns the window's total with them (hits, seconds_left) and inserted.
SYNC_FUNCTION = """
CREATE OR REPLACE FUNCTION construction_sync_rate_sync(
    p_system integer, p_shard integer, p_hits integer, p_window integer,
    OUT hits bigint, OUT seconds_left double precision, OUT inserted boolean)
LANGUAGE plpgsql AS $$""" + _DECLARE + """BEGIN
    IF p_hits > 0 THEN""" + _COUNT.format(count="p_hits") + """    END IF;""" + _WINDOW + """END $$
"""
# Far from its limit (the window holding less than FAR_SHARE of it, for limits of at least
# FAR_MIN_LIMIT a minute), a system's deliveries are counted in the worker's memory and written
# to its row every SYNC_SECONDS at most; near the limit each delivery is counted in PostgreSQL as
# it is stored. Counting every delivery in one row made the row a chain of hundreds of versions a
# second that every check of every worker walked: the limit cost 15 % of the intake at 700
# deliveries a second, for systems nowhere near their limit.
SYNC_SECONDS = 0.2
FAR_SHARE = 0.5
FAR_MIN_LIMIT = 100
# Per thread (each runs its own transactions and writes its own row): {(database, system id): _Tally}.
_tallies = threading.local()


class _Tally:
    """A worker thread's count of one system's deliveries: the window's total when it last read
    it (`total`, with what it wrote then), deliveries committed since and not yet written
    (`unsynced`), of which `syncing` are being written by a transaction still open."""

    __slots__ = ("total", "synced_at", "unsynced", "syncing")

    def __init__(self):
        self.total, self.synced_at, self.unsynced, self.syncing = 0, None, 0, 0

    def estimate(self):
        return self.total + self.unsynced - self.syncing

    def due(self):
        return not self.syncing and (self.synced_at is None or time.monotonic() - self.synced_at >= SYNC_SECONDS)

    def count_one(self):
        self.unsynced += 1

    def synced(self):
        self.unsynced -= self.syncing
        self.syncing = 0

    def sync_lost(self):
        # The total read included what the rolled-back transaction wrote.
        self.syncing, self.synced_at = 0, None


def _tally(dbname, system_id):
    tallies = getattr(_tallies, "by_system", None)
    if tallies is None:
        tallies = _tallies.by_system = {}
    return tallies.setdefault((dbname, system_id), _Tally())


def forget_tallies():
    """Drops this thread's counts in memory (tests that write rows themselves)."""
    _tallies.by_system = {}


def worker_shard():
    """This worker's own row per system and second: the process and thread it runs in. A worker
    runs one transaction at a time, so no two transactions ever update one row: under REPEATABLE
    READ two upserts of one row conflict ("could not serialize access"), and rows shared by a few
    shards did under a threaded server's concurrent deliveries. The host name makes two nodes'
    workers differ, and Python salts the hash of a text per process."""
    return hash((socket.gethostname(), os.getpid(), threading.get_ident())) & 0x7FFFFFFF


class ConstructionSyncRateBucket(models.Model):
    """The deliveries each system made per second of the last minute, for its rate limit.

    Counted only once the delivery's transaction commits (near the limit, in that very
    transaction; far from it, in the worker's memory after the commit, written every
    SYNC_SECONDS), so a delivery that rolls back is not counted, and the limit holds across workers
    and nodes, which read each other's rows. Checking costs the same at any traffic: the sum of
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

    def init(self):
        # The count and the increment in a PL/pgSQL function: PostgreSQL keeps its statements'
        # plans for the session, where the same statements sent by the intake were planned again
        # for every delivery (0.13 ms of the 0.35 ms the check took). A function, not a PREPARE,
        # so it also works behind a connection pooler in transaction mode.
        self.env.cr.execute(TAKE_FUNCTION)
        self.env.cr.execute(SYNC_FUNCTION)

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
        count before the others' increments: a soft limit, overshooting by a few at most (far
        from the limit, by what the other workers counted in the last SYNC_SECONDS)."""
        if self._take_far(system_id, limit):
            return None
        shard = worker_shard()
        self.env.cr.execute(
            "SELECT hits, seconds_left, inserted FROM construction_sync_rate_take(%s, %s, %s, %s)",
            (system_id, shard, limit, WINDOW_SECONDS),
        )
        return self._taken(system_id, limit, *self.env.cr.fetchone())

    @api.model
    def _drop_left_window(self, system_id):
        """A worker's first write in a new second: its rows that left the window go, so the
        table holds about a minute of rows per worker whatever the traffic, with no cron to wait
        for. Only its own rows: nobody else writes or deletes them."""
        self.env.cr.execute(
            """
            DELETE FROM construction_sync_rate_bucket
             WHERE system_id = %(system)s AND shard = %(shard)s
               AND second_at <= date_trunc('second', statement_timestamp() at time zone 'utc')
                                - make_interval(secs => %(window)s)
               AND second_at > (statement_timestamp() at time zone 'utc') - make_interval(secs => %(orphan)s)
            """,
            {"system": system_id, "shard": worker_shard(), "window": WINDOW_SECONDS, "orphan": ORPHAN_SECONDS},
        )

    @api.model
    def _take_far(self, system_id, limit):
        """Counts one delivery in this worker's memory, written with its next sync, when the
        window is far from `limit` (see FAR_SHARE): True. False when the delivery must be
        counted in PostgreSQL as it is stored (_take, construction_sync_intake_store). Counted
        once its transaction commits: a delivery that rolls back is not."""
        if limit < FAR_MIN_LIMIT:
            return False
        tally = _tally(self.env.cr.dbname, system_id)
        if tally.due():
            self._sync(system_id, tally)
        if tally.estimate() + 1 > limit * FAR_SHARE:
            return False
        self.env.cr.postcommit.add(tally.count_one)
        return True

    @api.model
    def _sync(self, system_id, tally):
        """Writes the deliveries this worker counted in memory to its row and reads the window's
        total, in the caller's transaction (what it wrote is off the books once it commits)."""
        tally.syncing = tally.unsynced
        self.env.cr.execute(
            "SELECT hits, inserted FROM construction_sync_rate_sync(%s, %s, %s, %s)",
            (system_id, worker_shard(), tally.syncing, WINDOW_SECONDS),
        )
        total, inserted = self.env.cr.fetchone()
        tally.total, tally.synced_at = total, time.monotonic()
        if tally.syncing:
            self.env.cr.postcommit.add(tally.synced)
            self.env.cr.postrollback.add(tally.sync_lost)
        if inserted:
            self._drop_left_window(system_id)

    @api.model
    def _taken(self, system_id, limit, hits, seconds_left, inserted):
        """_take's answer from what construction_sync_rate_take returned (the intake's
        construction_sync_intake_store returns the same for a single delivery)."""
        if inserted:
            self._drop_left_window(system_id)
        if hits < limit:
            return None
        return max(1, int(seconds_left or WINDOW_SECONDS))
