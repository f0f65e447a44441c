import functools
import logging
import os
import random
import threading
import time
import uuid

import psycopg2
import psycopg2.sql
from psycopg2 import OperationalError

from odoo import api, fields, models, sql_db
from odoo.addons.base.models.ir_cron import ODOO_NOTIFY_FUNCTION

from .construction_sync_processor import TRANSIENT_PGCODES

_logger = logging.getLogger(__name__)


# One connection to the postgres database per process, kept for the wake-ups (see
# _notify_cron_workers), with the process id that opened it: a forked worker opens its own.
_notifier = {"cnx": None, "pid": None}
_notifier_lock = threading.Lock()


def _notify_cron_workers(dbname):
    """ir.cron._notifydb on a kept connection. Odoo never pools connections to the postgres
    database, so each of its NOTIFYs opened one, a new PostgreSQL backend: 6.5 ms a publish or
    a delivery on this machine, more than all the rest of it. The NOTIFY's own commit does not
    wait for the disk either: a wake-up is no data; lost in a crash, the trigger row committed
    with the business transaction still wakes the runner at the cron workers' next poll."""
    with _notifier_lock:
        for attempt in (1, 2):
            try:
                cnx = _notifier["cnx"]
                if cnx is None or cnx.closed or _notifier["pid"] != os.getpid():
                    cnx = psycopg2.connect(**sql_db.connection_info_for("postgres")[1])
                    cnx.autocommit = True
                    with cnx.cursor() as cr:
                        cr.execute("SET synchronous_commit TO OFF")
                    _notifier.update(cnx=cnx, pid=os.getpid())
                with cnx.cursor() as cr:
                    cr.execute(psycopg2.sql.SQL("SELECT {}('cron_trigger', %s)").format(
                        psycopg2.sql.Identifier(ODOO_NOTIFY_FUNCTION)), (dbname,))
                return
            except psycopg2.Error as exc:
                _notifier["cnx"] = None
                if attempt == 2:
                    # The trigger row is committed: the cron workers' next poll runs the job.
                    _logger.warning("could not wake the cron workers (%s); they will find the work at their next poll",
                                    exc)


# Events per claim: one commit and, for batchable handlers, one ORM create per claim. A claim
# costs two durable commits and a dozen queries whatever its size: at 50 they were a tenth of
# applying partner.upserted events, at 100 (a full delivery batch) a twentieth.
CLAIM_SIZE = 100
# A runner's claims until one is full and the other runners are called in.
FIRST_CLAIM_SIZE = 20
REALTIME_RUNNERS = (
    "construction_sync.ir_cron_process_realtime",
    "construction_sync.ir_cron_process_realtime_2",
)
BATCH_RUNNER = "construction_sync.ir_cron_process_batch"
# A run's time: the dead row versions of the event table that vacuum must leave while a run is
# on are those of this many seconds (see _come_back).
CRON_BUDGET_SECONDS = 20
# Open cockpits hear about a runner's progress at most this often (one bus message each).
NOTIFY_EVERY_SECONDS = 1.0
# How long a realtime runner stays once the inbox is empty: longer than the second during which
# the intake skips its wake-up NOTIFY (see _wake_realtime).
QUIET_SECONDS = 1.5
QUIET_POLL_SECONDS = 0.2
# A claim slower than this means the planner works from statistics older than the queue.
SLOW_CLAIM_SECONDS = 0.5
# Times a runner applies again, each in a new transaction, an event that met a write conflict
# with another runner, before the conflict counts as a transient failure.
CONFLICT_ROUNDS = 3
# Done events the purge deletes per transaction.
PURGE_CHUNK = 10_000


class ConstructionSyncRunner(models.AbstractModel):
    """The scheduled runners that drain the queue, and their wake-ups.

    Exactly once: an event is claimed (state processing, a lease and a claim token, committed:
    construction.sync.queue), then applied in a transaction that locks its row and commits the
    business records together with state done (construction.sync.processor). A worker killed
    mid-event rolls that transaction back; the lease runs out and another worker claims the event
    again.
    """

    _name = "construction.sync.runner"
    _description = "Sync Event Runner"

    # ------------------------------------------------------------------------------------------
    # waking the runners
    # ------------------------------------------------------------------------------------------

    @api.model
    def _wake_realtime(self, runners=REALTIME_RUNNERS[:1]):
        """Wakes the first realtime runner after commit; that runner calls the others when it
        finds more than one claim's worth of work.

        A wake-up is a trigger row plus a NOTIFY. Both are skipped when a trigger younger than a
        second exists: every row was written with its NOTIFY, so a runner woken by it (or already
        running) looks for events until the inbox has been quiet for longer than that second
        (_linger). Under a stream of deliveries this writes one row a second, where a row for
        every delivery (only the NOTIFY was skipped) cost an INSERT, three index entries and a
        key-share lock on the runner's ir_cron row, which the running job holds for update: a
        new multixact per delivery, and a table of 150 000 rows after ten minutes. The worst
        case, a delivery committing more than half a second after its check, waits for the cron
        workers' next poll (a minute) instead of seconds."""
        for xmlid in runners:
            # The id from ir.model.data's cache: env.ref() would also check the row exists, one
            # more query for every delivery.
            runner_id = self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            if not runner_id:
                continue
            # The row ir.cron._trigger() writes, unless a recent one exists, in one statement:
            # this runs for every delivery.
            self.env.cr.execute(
                """
                WITH recent AS (
                    SELECT 1 FROM ir_cron_trigger
                     WHERE cron_id = %(cron)s AND call_at > (now() at time zone 'utc') - interval '1 second'
                     LIMIT 1
                )
                INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date, write_uid, write_date)
                SELECT %(cron)s, %(at)s, %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc'
                 WHERE NOT EXISTS (SELECT 1 FROM recent)
                RETURNING id
                """,
                {"cron": runner_id, "at": fields.Datetime.now(), "uid": self.env.uid},
            )
            if self.env.cr.fetchone():
                self.env.cr.postcommit.add(functools.partial(_notify_cron_workers, self.env.cr.dbname))

    @api.model
    def _wake(self, events):
        if any(event.processing_mode == "realtime" for event in events):
            self._wake_realtime()

    # ------------------------------------------------------------------------------------------
    # runners
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_process(self, mode):
        """Scheduled runner: drains `mode` events, committing after each claim and after each
        claimed batch is applied, until the queue is empty or the time budget is spent; with
        work left, a new run is triggered (_come_back)."""
        deadline = time.monotonic() + CRON_BUDGET_SECONDS
        done = self._drain(mode, commit=True, deadline=deadline)
        if mode == "realtime":
            done += self._linger(deadline)
        if self.env["construction.sync.queue"]._ready_count(mode):
            self._come_back(REALTIME_RUNNERS[0] if mode == "realtime" else BATCH_RUNNER)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done

    @api.model
    def _come_back(self, xmlid):
        """Makes the running cron job (the context's cron_id, else `xmlid`) run again at once, in
        a new run: a trigger due now, committed with the run, and a NOTIFY after it.

        Odoo would rerun a job that reports work left (ir.cron._notify_progress) itself, but
        within the scheduler's transaction that took the job, up to ten times: that
        transaction's snapshot stayed open for up to ten budgets (500 s), and PostgreSQL can
        remove no row version younger than the oldest snapshot. In a sustained run the event
        table then held 350 000 dead row versions that no vacuum could remove, and every
        delivery and claim slowed down by a quarter. The run reports its work as done instead;
        the scheduler's transaction ends with it. The trigger's time is the clock's, not
        fields.Datetime.now() (whole seconds): Odoo deletes the job's triggers older than the
        run's start when the run ends, and this one must stay."""
        cron_id = self.env.context.get("cron_id") or self.env["ir.model.data"]._xmlid_to_res_id(
            xmlid, raise_if_not_found=False)
        if not cron_id:
            return
        self.env.cr.execute(
            """
            INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date, write_uid, write_date)
            VALUES (%(cron)s, clock_timestamp() at time zone 'utc', %(uid)s, now() at time zone 'utc',
                    %(uid)s, now() at time zone 'utc')
            """,
            {"cron": cron_id, "uid": self.env.uid},
        )
        self.env.cr.postcommit.add(functools.partial(_notify_cron_workers, self.env.cr.dbname))

    @api.model
    def _linger(self, deadline):
        """Keeps an emptied realtime runner looking for new events until the inbox has been quiet
        for QUIET_SECONDS. A delivery skips its NOTIFY when another delivery wrote a wake-up less
        than a second before; were the runner to stop right after its last empty claim, such a
        delivery would wait for the cron workers' next poll (a minute). Staying longer than that
        second means the delivery either finds this runner still looking, or finds no recent
        wake-up and sends its own NOTIFY."""
        applied = 0
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < QUIET_SECONDS and time.monotonic() < deadline:
            time.sleep(QUIET_POLL_SECONDS)
            # A new transaction, so the count sees what was committed meanwhile.
            self.env.cr.commit()
            if self.env["construction.sync.queue"]._ready_count("realtime"):
                applied += self._drain("realtime", commit=True, deadline=deadline)
                quiet_since = time.monotonic()
        return applied

    @api.model
    def _drain(self, mode, commit, deadline=None, limit=None):
        """Claims and applies ready events until none is left (or the deadline / limit).

        With commit=True (runners) the claim is committed first, then each claimed batch is
        applied event by event, each in its own savepoint, and committed once: the business
        records and the done states of the batch land together or not at all, and a crash in
        between leaves the batch to be claimed again when the lease expires. With commit=False
        everything stays in the caller's transaction (tests, inline processing)."""
        Queue = self.env["construction.sync.queue"]
        # Runners defer an event that meets a write conflict and apply it again after their commit.
        Processor = self.env["construction.sync.processor"].with_context(construction_sync_defer_conflicts=commit)
        processed = 0
        helpers_called = not commit
        # Events applied but not announced to the open cockpits yet (event._notify_changed).
        unannounced = self.env["construction.sync.event"]
        announced_at = 0.0
        analyzed = Queue._analyze_if_stale()
        # Held for the whole drain by this database session: if the worker dies, PostgreSQL ends
        # the session and releases it, and other runners take the claims at once instead of
        # waiting out the lease (the lease stays the backstop for a hung, not dead, worker).
        lock = Queue._acquire_runner_lock()
        try:
            while deadline is None or time.monotonic() < deadline:
                settings_cache = {}
                size = self._claim_size(mode, limit, processed, helpers_called)
                if size <= 0:
                    break
                token = str(uuid.uuid4())
                Queue._analyze_if_outgrown()
                claim_started = time.monotonic()
                try:
                    claimed = Queue._claim(mode, size, token, lock)
                except OperationalError as exc:
                    # Another runner claimed rows our snapshot still saw as ready: take a fresh
                    # snapshot and claim again.
                    if not commit or exc.pgcode not in TRANSIENT_PGCODES:
                        raise
                    self.env.cr.rollback()
                    continue
                if not analyzed and time.monotonic() - claim_started > SLOW_CLAIM_SECONDS:
                    # A burst of deliveries into a table whose statistics say it is small (a new
                    # database, autovacuum not run yet): the planner then checks each candidate's
                    # older events by scanning the whole queue, seconds per claim. Fresh statistics
                    # give the hash join again; autovacuum would take up to a minute to notice.
                    Queue._analyze()
                    analyzed = True
                if commit:
                    self.env.cr.commit()
                if not claimed:
                    break
                if len(claimed) == size and not helpers_called and mode == "realtime":
                    # A full claim: there is a backlog, so the other runners join in.
                    helpers_called = True
                    self._wake_realtime(REALTIME_RUNNERS[1:])
                    self.env.cr.commit()
                try:
                    owned = Queue._lock_claimed(claimed, token)
                except OperationalError as exc:
                    # A row changed under us (a lease reclaim): leave the batch to the lease.
                    if not commit or exc.pgcode not in TRANSIENT_PGCODES:
                        raise
                    self.env.cr.rollback()
                    continue
                deferred = Processor._apply_claimed(owned, settings_cache)
                processed += len(owned)
                unannounced |= owned
                if commit and time.monotonic() - announced_at >= NOTIFY_EVERY_SECONDS:
                    unannounced._notify_changed()
                    unannounced, announced_at = unannounced.browse(), time.monotonic()
                if commit:
                    self.env.cr.commit()
                    self._apply_deferred(deferred, token, settings_cache)
            if unannounced:
                # Whatever was applied since the last message, in one more (committed by the
                # runner's own commit, or by the caller's transaction).
                unannounced._notify_changed()
                if commit:
                    self.env.cr.commit()
            return processed
        finally:
            Queue._release_runner_lock(lock)

    @api.model
    def _claim_size(self, mode, limit, processed, helpers_called):
        size = CLAIM_SIZE if limit is None else min(CLAIM_SIZE, limit - processed)
        if not helpers_called and mode == "realtime":
            # Smaller claims until one comes back full: then the other runners are woken before
            # this one applies anything (50 expensive events in one claim were one runner's work
            # while the other slept).
            size = min(size, FIRST_CLAIM_SIZE)
        return size

    def _apply_deferred(self, deferred, token, settings_cache):
        """Applies again, each time in a new transaction (a newer snapshot), the events deferred
        after a write conflict with another runner, CONFLICT_ROUNDS times at most; the last round
        treats a conflict as any transient failure (retried later, counted against max_attempts).
        Two runners applying change orders of one contract conflict often; with the regular
        backoff each conflict would cost seconds and an attempt."""
        Processor = self.env["construction.sync.processor"]
        for round_ in range(1, CONFLICT_ROUNDS + 1):
            if not deferred:
                return
            # A short random pause, so the two conflicting runners do not meet again at once.
            time.sleep(random.uniform(0, 0.05 * round_))
            owned = self.env["construction.sync.queue"]._lock_claimed(deferred.ids, token)
            last = round_ == CONFLICT_ROUNDS
            deferred = Processor.with_context(construction_sync_defer_conflicts=not last)._apply_claimed(
                owned, settings_cache).with_env(self.env)
            self.env.cr.commit()

    def _register_hook(self):
        """When a server (re)starts with events queued or left claimed by workers that died with
        the previous process, the realtime runner is due at once rather than at its next poll: the
        cron workers take it as soon as they start, and the runner-lock check lets it reclaim the
        dead workers' events immediately."""
        super()._register_hook()
        self.env.cr.execute(
            "SELECT 1 FROM construction_sync_event"
            " WHERE state IN ('pending', 'processing') AND processing_mode = 'realtime' LIMIT 1"
        )
        if self.env.cr.fetchone():
            cron = self.env.ref(REALTIME_RUNNERS[0], raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()

    # ------------------------------------------------------------------------------------------
    # housekeeping
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_purge(self, chunk=PURGE_CHUNK, commit=False):
        """Deletes done events past their system's retention (audit rows go with them by
        cascade). Failed, dead and every other state are kept.

        In chunks of `chunk` events, committed one by one when `commit` (the cron): a month of a
        busy system is millions of rows, and one DELETE of them all would hold its transaction
        (and the WAL it writes) for many minutes, and start over from nothing after a restart.
        The received_at bound only restates that an event is received before it finishes: it
        lets each chunk walk the (system, received_at) index from the oldest rows instead of
        scanning the table."""
        purged = 0
        while True:
            self.env.cr.execute(
                """
                DELETE FROM construction_sync_event
                 WHERE id IN (
                    SELECT e.id
                      FROM construction_sync_system s
                      JOIN construction_sync_event e
                        ON e.system_id = s.id
                       AND e.received_at < (statement_timestamp() at time zone 'utc')
                                           - make_interval(days => s.done_retention_days)
                     WHERE e.state = 'done'
                       AND e.finished_at < (statement_timestamp() at time zone 'utc')
                                           - make_interval(days => s.done_retention_days)
                     LIMIT %s)
                """,
                (chunk,),
            )
            purged += self.env.cr.rowcount
            if commit:
                self.env.cr.commit()
            if self.env.cr.rowcount < chunk:
                break
        _logger.info("purged %s done events", purged)
        self.env["construction.sync.rate.bucket"]._purge()
        return purged
