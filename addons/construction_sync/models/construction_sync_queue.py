import logging
import random
from datetime import timedelta

from psycopg2 import errors

from odoo import api, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# How long a claim protects an event from other runners; a worker that died mid-event is replaced
# after this. Long enough for the slowest handler, short enough that a crash costs minutes at most.
# System parameter construction_sync.lease_seconds overrides it.
LEASE_SECONDS = 300
# Statistics are refreshed before a drain when more events than this are queued and the planner
# believes the whole table holds less than half of them.
STALE_ROWS = 1000
# Before each claim: statistics are refreshed when the queue holds this many more events than
# they say (and twice as many). ANALYZE of a young table costs milliseconds.
OUTGROWN_ROWS = 200
# database -> (last ANALYZE, queued events counted, rows changed since that ANALYZE) at the last
# count in this process: see _analyze_if_outgrown.
_COUNTED = {}

# Runners hold a session-level advisory lock (RUNNER_LOCK_SPACE, their own number) while they
# drain; the number is written on every event they claim.
RUNNER_LOCK_SPACE = 0x63737963  # "csyc"
# The runner numbers written on events in processing whose advisory lock is gone: their database
# session, and so their runner, ended. Asked once per claim, apart from the claim itself: inside it
# the lock-table function made the planner estimate the claim at half a million, which switched on
# PostgreSQL's JIT compiler, and compiling took 450 ms of every 20 ms claim.
DEAD_RUNNERS = """
    SELECT DISTINCT e.runner_lock FROM construction_sync_event e
     WHERE e.state = 'processing' AND e.runner_lock IS NOT NULL
       AND NOT EXISTS (
            SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid = %(lock_space)s::oid AND l.objid = e.runner_lock::oid)
"""
# An event `e` a runner of its mode may take: pending and due, or left in processing by a worker
# that died (its runner lock is gone) or whose lease ran out (a hung worker).
READY = """
    e.processing_mode = %(mode)s
    AND ((e.state = 'pending' AND e.next_attempt_at <= statement_timestamp() at time zone 'utc')
      OR (e.state = 'processing' AND (e.lease_expires_at < statement_timestamp() at time zone 'utc'
                                      OR e.runner_lock = ANY(%(dead_runners)s))))
"""
# An older event about the same external object as `e` is still queued or running: `e` waits for
# it, so each object's events apply in source order.
OLDER_QUEUED = SQL("""
    EXISTS (
        SELECT 1 FROM construction_sync_event older
         WHERE older.system_id = e.system_id
           AND older.object_key = e.object_key
           AND older.state IN ('pending', 'processing')
           AND (older.source_timestamp, older.id) < (e.source_timestamp, e.id))
""")
# Another live runner is applying an event of `e`'s conflict key (a shared record, see
# EventHandler.conflict_key): `e` waits for its commit rather than meet it on that record. A dead
# or expired runner's events do not count (they are ready again themselves).
KEY_BUSY = """
    EXISTS (
        SELECT 1 FROM construction_sync_event busy
         WHERE busy.conflict_key = e.conflict_key
           AND busy.state = 'processing'
           AND busy.id <> e.id
           AND busy.runner_lock IS DISTINCT FROM %(lock)s
           AND busy.lease_expires_at >= statement_timestamp() at time zone 'utc'
           AND NOT busy.runner_lock = ANY(%(dead_runners)s))
"""


class ConstructionSyncQueue(models.AbstractModel):
    """The queued events as the runners see them: which are ready, claiming them, and locking
    the claimed ones before they are applied.

    Due times are compared with statement_timestamp(), not now(): now() is frozen at the start
    of the transaction, and an event released inside it (next_attempt_at = Python's now) must be
    claimable by the same runner.

    Hand-written SQL because the ORM has no FOR UPDATE SKIP LOCKED. Claims use it, so any number
    of workers and nodes drain one queue without waiting on each other, and no state lives in a
    process.
    """

    _name = "construction.sync.queue"
    _description = "Sync Event Queue"

    @api.model
    def _lease(self):
        seconds = self.env["ir.config_parameter"].sudo().get_param("construction_sync.lease_seconds", LEASE_SECONDS)
        return timedelta(seconds=max(5, int(seconds)))

    @api.model
    def _ready(self, mode, lock=None):
        """What makes an event `e` ready for a runner of `mode`; with the runner's `lock`, also
        that no other runner applies an event of its conflict key now."""
        self.env.cr.execute(SQL(DEAD_RUNNERS, lock_space=RUNNER_LOCK_SPACE))
        dead_runners = [number for (number,) in self.env.cr.fetchall()]
        ready = SQL(READY, mode=mode, dead_runners=dead_runners)
        if lock is None:
            return ready
        return SQL("%s AND (e.conflict_key IS NULL OR NOT %s)", ready,
                   SQL(KEY_BUSY, lock=lock, dead_runners=dead_runners))

    @api.model
    def _acquire_runner_lock(self):
        """Takes a runner lock of this session under a free number and returns the number."""
        while True:
            number = random.randint(1, 2**31 - 1)
            self.env.cr.execute("SELECT pg_try_advisory_lock(%s, %s)", (RUNNER_LOCK_SPACE, number))
            if self.env.cr.fetchone()[0]:
                return number

    @api.model
    def _release_runner_lock(self, number):
        # Session locks outlive transactions, so an aborted transaction still holds it: the
        # unlock then needs a usable transaction (the aborted one is lost anyway).
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", (RUNNER_LOCK_SPACE, number))
        except errors.InFailedSqlTransaction:
            self.env.cr.rollback()
            self.env.cr.execute("SELECT pg_advisory_unlock(%s, %s)", (RUNNER_LOCK_SPACE, number))

    @api.model
    def _ready_count(self, mode):
        self.env.cr.execute(SQL("SELECT count(*) FROM construction_sync_event e WHERE %s", self._ready(mode)))
        (count,) = self.env.cr.fetchone()
        return count

    @api.model
    def _claim(self, mode, limit, token, lock=None):
        """Claims up to `limit` ready events of `mode` and returns their ids, oldest source first.

        An event waits while an older event about the same external object is still queued or
        running, so each object's events apply in source order. An event left in processing by a
        dead worker is ready again as soon as its runner lock is gone (`lock` is the claiming
        runner's, see _acquire_runner_lock), a hung worker's once its lease expires; the claim
        counts as an attempt, so an event that kills its worker every time ends up dead instead
        of looping."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH picked AS (
                    SELECT e.id, e.state
                      FROM construction_sync_event e
                     WHERE %(ready)s
                       AND NOT %(older_queued)s
                     ORDER BY e.source_timestamp, e.id
                     LIMIT %(limit)s
                       FOR UPDATE SKIP LOCKED
                ), claimed AS (
                    UPDATE construction_sync_event e
                       SET state = 'processing',
                           attempts = e.attempts + 1,
                           claim_token = %(token)s,
                           runner_lock = %(lock)s,
                           lease_expires_at = statement_timestamp() at time zone 'utc' + %(lease)s,
                           started_at = statement_timestamp() at time zone 'utc',
                           write_date = statement_timestamp() at time zone 'utc'
                      FROM picked
                     WHERE e.id = picked.id
                 RETURNING e.id, e.company_id, e.source_timestamp
                ), audited AS (
                    INSERT INTO construction_sync_audit
                                (event_id, company_id, at, user_id, action, from_state, to_state, message)
                    SELECT picked.id, claimed.company_id, clock_timestamp() at time zone 'utc', %(uid)s,
                           CASE WHEN picked.state = 'processing' THEN 'lease_expired' ELSE 'claim' END,
                           picked.state, 'processing',
                           CASE WHEN picked.state = 'processing' THEN
                               'The previous worker stopped (its session ended) or its lease expired: claimed again.'
                           END
                      FROM picked JOIN claimed ON claimed.id = picked.id
                )
                SELECT id FROM claimed ORDER BY source_timestamp, id
                """,
                ready=self._ready(mode, lock), older_queued=OLDER_QUEUED, limit=limit, token=token, lock=lock,
                lease=self._lease(),
                uid=self.env.uid,
            ),
            log_exceptions=False,
        )
        claimed = [event_id for (event_id,) in self.env.cr.fetchall()]
        self.env["construction.sync.event"].invalidate_model()
        self.env["construction.sync.audit"].invalidate_model()
        return claimed

    @api.model
    def _lock_claimed(self, event_ids, token):
        """Locks the claimed events that are still ours (a runner whose lease ran out may find
        some re-claimed by another) and returns them, oldest source first."""
        self.env.cr.execute(
            """
            SELECT id FROM construction_sync_event
             WHERE id = ANY(%s) AND state = 'processing' AND claim_token = %s
             ORDER BY source_timestamp, id
               FOR UPDATE
            """,
            (list(event_ids), token),
            log_exceptions=False,
        )
        owned = [event_id for (event_id,) in self.env.cr.fetchall()]
        if len(owned) < len(event_ids):
            _logger.info("events %s were re-claimed by another runner; skipping them",
                         sorted(set(event_ids) - set(owned)))
        return self.env["construction.sync.event"].sudo().browse(owned)

    @api.model
    def _lock(self, events):
        """Locks `events` whatever their state and returns them, oldest source first."""
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM construction_sync_event WHERE id = ANY(%s) ORDER BY source_timestamp, id FOR UPDATE",
            (list(events.ids),),
        )
        return self.env["construction.sync.event"].sudo().browse([event_id for (event_id,) in self.env.cr.fetchall()])

    @api.model
    def _has_older_queued(self, event):
        self.env.cr.execute(SQL(
            "SELECT 1 FROM construction_sync_event e WHERE e.id = %s AND %s LIMIT 1", event.id, OLDER_QUEUED,
        ))
        return bool(self.env.cr.fetchone())

    @api.model
    def _analyze_if_stale(self):
        """Refreshes the event table's planner statistics when the queue alone outgrew what they
        say the whole table holds (a burst of deliveries, typically into a young table that
        autovacuum has not looked at yet). On such statistics the claim's per-object ordering
        check scans the whole queue once per candidate: one claim took 47 s with 125 000 queued
        events, against 0.14 s after ANALYZE. Checked once per drain; PostgreSQL's change
        counters lag by seconds, so the queue is counted instead."""
        self.env.cr.execute(
            """
            SELECT (SELECT reltuples FROM pg_class WHERE oid = 'construction_sync_event'::regclass),
                   (SELECT count(*) FROM construction_sync_event WHERE state IN ('pending', 'processing'))
            """
        )
        estimated, queued = self.env.cr.fetchone()
        if queued > STALE_ROWS and queued > 2 * max(estimated, 0):
            self._analyze()
            return True
        return False

    @api.model
    def _analyze_if_outgrown(self):
        """Refreshes the statistics when the queue outgrew what they say it holds; asked before
        every claim, since a drain runs up to a minute while deliveries keep arriving.

        When the statistics say the queue is (nearly) empty, the planner checks each candidate's
        older events by scanning the whole queue: 84 ms per claim at 1 000 queued events against
        5 ms after ANALYZE, and quadratic. The queue grew by at most the rows changed since the
        last ANALYZE (PostgreSQL's counter, read without a scan, lags by a second at most), so the
        queue is estimated and counted (at most OUTGROWN_ROWS more than its estimate) only when
        that many changed; on a big, steady table this is one cheap query per claim."""
        cr = self.env.cr
        cr.execute("""
            SELECT pg_stat_get_mod_since_analyze(t.oid),
                   greatest(pg_stat_get_last_analyze_time(t.oid), pg_stat_get_last_autoanalyze_time(t.oid))
              FROM (SELECT 'construction_sync_event'::regclass::oid AS oid) t
        """)
        changed, analyzed_at = cr.fetchone()
        changed = changed or 0
        if changed <= OUTGROWN_ROWS:
            return False
        cr.execute("EXPLAIN (FORMAT JSON) SELECT 1 FROM construction_sync_event"
                   " WHERE state IN ('pending', 'processing')")
        estimated = cr.fetchone()[0][0]["Plan"]["Plan Rows"]
        bound = max(OUTGROWN_ROWS, 2 * estimated)
        if changed <= bound - estimated:
            return False
        # The queue holds at most what was counted last plus the rows changed since: a long
        # backlog draining under accurate statistics is not counted again at every claim.
        counted = _COUNTED.get(cr.dbname)
        if counted and counted[0] == analyzed_at and counted[1] + changed - counted[2] <= bound:
            return False
        cr.execute("SELECT count(*) FROM (SELECT 1 FROM construction_sync_event"
                   " WHERE state IN ('pending', 'processing') LIMIT %s) queued", (bound + 1,))
        queued = cr.fetchone()[0]
        _COUNTED[cr.dbname] = (analyzed_at, queued, changed)
        if queued <= bound:
            return False
        # Another runner analyzing now: its statistics will do (ANALYZE waits for another's commit).
        cr.execute("SELECT pg_try_advisory_xact_lock(%s, 0)", (RUNNER_LOCK_SPACE,))
        if not cr.fetchone()[0]:
            return False
        self._analyze()
        return True

    @api.model
    def _analyze(self):
        self.env.cr.execute("ANALYZE construction_sync_event")
