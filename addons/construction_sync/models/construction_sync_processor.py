import json
import logging
import time
import traceback
import uuid
from datetime import timedelta

from psycopg2 import errorcodes, OperationalError

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..sync import backoff
from ..sync.context import HandlerContext
from ..sync.errors import BUSINESS, DATA, TECHNICAL, TRANSIENT, SyncBusinessError, SyncDataError

_logger = logging.getLogger(__name__)

# How long a claim protects an event from other runners; a worker that died mid-event is replaced
# after this. Long enough for the slowest handler, short enough that a crash costs minutes at most.
# System parameter construction_sync.lease_seconds overrides it.
LEASE_SECONDS = 300
# Events per claim: one commit and, for batchable handlers, one ORM create per claim.
CLAIM_SIZE = 50
REALTIME_RUNNERS = (
    "construction_sync.ir_cron_process_realtime",
    "construction_sync.ir_cron_process_realtime_2",
)
CRON_BUDGET_SECONDS = 50
# Open cockpits hear about a runner's progress at most this often (one bus message each).
NOTIFY_EVERY_SECONDS = 1.0
# How long a realtime runner stays once the inbox is empty: longer than the second during which
# the intake skips its wake-up NOTIFY (see _wake_realtime).
QUIET_SECONDS = 1.5
QUIET_POLL_SECONDS = 0.2
# A claim slower than this means the planner works from statistics older than the queue.
SLOW_CLAIM_SECONDS = 0.5
# Statistics are refreshed before a drain when more events than this are queued and the planner
# believes the whole table holds less than half of them.
STALE_ROWS = 1000
TRANSIENT_PGCODES = {
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
    errorcodes.QUERY_CANCELED,  # statement/lock timeout
}


class ConstructionSyncProcessor(models.AbstractModel):
    """Applies stored events through the handler registry.

    Due times are compared with statement_timestamp(), not now(): now() is frozen at the start
    of the transaction, and an event released inside it (next_attempt_at = Python's now) must be
    claimable by the same runner.

    Exactly once: an event is claimed (state processing, a lease and a claim token, committed),
    then applied in a transaction that locks its row and commits the business records together
    with state done. A worker killed mid-event rolls that transaction back; the lease runs out and
    another worker claims the event again. Claims use FOR UPDATE SKIP LOCKED, so any number of
    workers and nodes drain one queue without waiting on each other, and no state lives in a
    process.
    """

    _name = "construction.sync.processor"
    _description = "Sync Event Processor"

    # ------------------------------------------------------------------------------------------
    # waking the runners
    # ------------------------------------------------------------------------------------------

    @api.model
    def _wake_realtime(self, runners=REALTIME_RUNNERS[:1]):
        """Wakes the first realtime runner after commit; that runner calls the others when it
        finds more than one claim's worth of work.

        A wake-up is a trigger row plus a NOTIFY, and Odoo opens a fresh connection to the
        postgres database for every NOTIFY: under a stream of deliveries that connection cost
        more than the rest of the intake. So the row is always written (it makes a running job
        run once more), but the NOTIFY is skipped when a trigger younger than a second already
        sent one. The worst case, a delivery committing right after the woken runner's last
        look, waits for the cron workers' next poll (a minute) instead of seconds."""
        for xmlid in runners:
            # The id from ir.model.data's cache: env.ref() would also check the row exists, one
            # more query for every delivery.
            runner_id = self.env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=False)
            if not runner_id:
                continue
            runner = self.env["ir.cron"].browse(runner_id)
            # The same row ir.cron._trigger() writes, and the check for a recent one, in one
            # statement: this runs for every delivery.
            self.env.cr.execute(
                """
                WITH recent AS (
                    SELECT 1 FROM ir_cron_trigger
                     WHERE cron_id = %(cron)s AND call_at > (now() at time zone 'utc') - interval '1 second'
                     LIMIT 1
                )
                INSERT INTO ir_cron_trigger (cron_id, call_at, create_uid, create_date, write_uid, write_date)
                VALUES (%(cron)s, %(at)s, %(uid)s, now() at time zone 'utc', %(uid)s, now() at time zone 'utc')
                RETURNING EXISTS (SELECT 1 FROM recent)
                """,
                {"cron": runner.id, "at": fields.Datetime.now(), "uid": self.env.uid},
            )
            if not self.env.cr.fetchone()[0]:
                self.env.cr.postcommit.add(runner.sudo()._notifydb)

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
        claimed batch is applied, until the queue is empty or the time budget is spent; Odoo
        runs it again at once when it reports work remaining."""
        deadline = time.monotonic() + CRON_BUDGET_SECONDS
        done = self._drain(mode, commit=True, deadline=deadline)
        if mode == "realtime":
            done += self._linger(deadline)
        remaining = self._ready_count(mode)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return done

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
            if self._ready_count("realtime"):
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
        processed = 0
        helpers_called = not commit
        # Events applied but not announced to the open cockpits yet (event._notify_changed).
        unannounced = self.env["construction.sync.event"]
        announced_at = 0.0
        analyzed = self._analyze_if_stale()
        while deadline is None or time.monotonic() < deadline:
            settings_cache = {}
            size = CLAIM_SIZE if limit is None else min(CLAIM_SIZE, limit - processed)
            if size <= 0:
                break
            token = str(uuid.uuid4())
            claim_started = time.monotonic()
            try:
                claimed = self._claim(mode, size, token)
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
                self.env.cr.execute("ANALYZE construction_sync_event")
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
                owned = self._lock_claimed(claimed, token)
            except OperationalError as exc:
                # A row changed under us (a lease reclaim): leave the batch to the lease.
                if not commit or exc.pgcode not in TRANSIENT_PGCODES:
                    raise
                self.env.cr.rollback()
                continue
            self._apply_claimed(owned, settings_cache)
            processed += len(owned)
            unannounced |= owned
            if commit and time.monotonic() - announced_at >= NOTIFY_EVERY_SECONDS:
                unannounced._notify_changed()
                unannounced, announced_at = unannounced.browse(), time.monotonic()
            if commit:
                self.env.cr.commit()
        if unannounced:
            # Whatever was applied since the last message, in one more (committed by the
            # runner's own commit, or by the caller's transaction).
            unannounced._notify_changed()
            if commit:
                self.env.cr.commit()
        return processed

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
            self.env.cr.execute("ANALYZE construction_sync_event")
            return True
        return False

    @api.model
    def _lease(self):
        seconds = self.env["ir.config_parameter"].sudo().get_param("construction_sync.lease_seconds", LEASE_SECONDS)
        return timedelta(seconds=max(5, int(seconds)))

    @api.model
    def _ready_count(self, mode):
        self.env.cr.execute(
            """
            SELECT count(*) FROM construction_sync_event
             WHERE processing_mode = %s
               AND ((state = 'pending' AND next_attempt_at <= statement_timestamp() at time zone 'utc')
                 OR (state = 'processing' AND lease_expires_at < statement_timestamp() at time zone 'utc'))
            """,
            (mode,),
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _claim(self, mode, limit, token):
        """Claims up to `limit` ready events of `mode` and returns their ids, oldest source first.

        Hand-written SQL because the ORM has no FOR UPDATE SKIP LOCKED. An event waits while an
        older event about the same external object is still queued or running, so each object's
        events apply in source order. An event left in processing by a dead worker is ready again
        once its lease expires; the claim counts as an attempt, so an event that kills its
        worker every time ends up dead instead of looping."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            WITH picked AS (
                SELECT e.id, e.state
                  FROM construction_sync_event e
                 WHERE e.processing_mode = %(mode)s
                   AND ((e.state = 'pending' AND e.next_attempt_at <= statement_timestamp() at time zone 'utc')
                     OR (e.state = 'processing' AND e.lease_expires_at < statement_timestamp() at time zone 'utc'))
                   AND NOT EXISTS (
                        SELECT 1 FROM construction_sync_event older
                         WHERE older.system_id = e.system_id
                           AND older.object_key = e.object_key
                           AND older.state IN ('pending', 'processing')
                           AND (older.source_timestamp, older.id) < (e.source_timestamp, e.id))
                 ORDER BY e.source_timestamp, e.id
                 LIMIT %(limit)s
                   FOR UPDATE SKIP LOCKED
            ), claimed AS (
                UPDATE construction_sync_event e
                   SET state = 'processing',
                       attempts = e.attempts + 1,
                       claim_token = %(token)s,
                       lease_expires_at = statement_timestamp() at time zone 'utc' + %(lease)s,
                       started_at = statement_timestamp() at time zone 'utc',
                       write_date = statement_timestamp() at time zone 'utc'
                  FROM picked
                 WHERE e.id = picked.id
             RETURNING e.id, e.company_id, e.source_timestamp
            ), audited AS (
                INSERT INTO construction_sync_audit (event_id, company_id, at, user_id, action, from_state, to_state, message)
                SELECT picked.id, claimed.company_id, clock_timestamp() at time zone 'utc', %(uid)s,
                       CASE WHEN picked.state = 'processing' THEN 'lease_expired' ELSE 'claim' END,
                       picked.state, 'processing',
                       CASE WHEN picked.state = 'processing' THEN 'The previous worker''s lease expired (worker stopped?): claimed again.' END
                  FROM picked JOIN claimed ON claimed.id = picked.id
            )
            SELECT id FROM claimed ORDER BY source_timestamp, id
            """,
            {"mode": mode, "limit": limit, "token": token, "lease": self._lease(), "uid": self.env.uid},
            log_exceptions=False,
        )
        claimed = [row[0] for row in self.env.cr.fetchall()]
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
        owned = [row[0] for row in self.env.cr.fetchall()]
        if len(owned) < len(event_ids):
            _logger.info("events %s were re-claimed by another runner; skipping them",
                         sorted(set(event_ids) - set(owned)))
        return self.env["construction.sync.event"].sudo().browse(owned)

    @api.model
    def _process_claimed(self, event_id, token, settings_cache=None):
        """Applies one claimed event, unless another runner re-claimed it after our lease ran out."""
        self._apply_claimed(self._lock_claimed([event_id], token), settings_cache)

    @api.model
    def _apply_claimed(self, events, settings_cache=None):
        """Applies locked, claimed events. Events whose handler can apply many at once are
        applied together per event type (one savepoint for the group); if anything in a group
        fails, its events are applied one by one instead, so a failure still concerns only its
        own event. Everything else is applied one by one, each in its own savepoint."""
        settings_cache = {} if settings_cache is None else settings_cache
        groups, singles = {}, self.env["construction.sync.event"]
        for event in events:
            handler = self.env["construction.sync.handler"]._get(event.event_type)
            settings = self._settings(event, settings_cache)
            if handler and handler.batchable and settings and not settings["requires_approval"]:
                groups.setdefault(event.event_type, self.env["construction.sync.event"])
                groups[event.event_type] |= event
            else:
                singles |= event
        for event_type, group in groups.items():
            if len(group) == 1:
                singles |= group
                continue
            try:
                with self.env.cr.savepoint():
                    leftovers = self._apply_group(self.env["construction.sync.handler"]._get(event_type), group)
            except Exception:  # noqa: BLE001 - the one-by-one path classifies each failure
                _logger.info("applying %s %s events together failed; applying them one by one",
                             len(group), event_type, exc_info=True)
                leftovers = group
            singles |= leftovers
        for event in singles.sorted(lambda e: (e.source_timestamp, e.id)):
            with self.env.cr.savepoint():
                self._apply(event, settings_cache)

    @api.model
    def _settings(self, event, settings_cache):
        if event.system_id.id not in settings_cache:
            settings_cache[event.system_id.id] = event.system_id._settings_by_type()
        return settings_cache[event.system_id.id].get(event.event_type)

    @api.model
    def _apply_group(self, handler, events):
        """Applies events of one type together; returns the ones left for the one-by-one path
        (stale ones, which that path explains)."""
        handler_env = self.env(su=True, context=dict(self.env.context, tracking_disable=True))
        Mapping = self.env["construction.sync.mapping"].sudo()
        contexts = []
        for event in events:
            ctx = HandlerContext(handler_env, event, handler, json.loads(event.payload)["data"])
            contexts.append(ctx)
        keys = {(ctx.system.id, str(handler.object_external_id(ctx.data))) for ctx in contexts}
        known = {
            (m.system_id.id, m.external_id): m
            for m in Mapping.search([
                ("system_id", "in", list({k[0] for k in keys})),
                ("res_model", "=", handler.object_model),
                ("external_id", "in", list({k[1] for k in keys})),
            ])
        }
        fresh, leftovers = [], self.env["construction.sync.event"]
        for ctx in contexts:
            external_id = str(handler.object_external_id(ctx.data))
            mapping = known.get((ctx.system.id, external_id), Mapping)
            ctx._known[(handler.object_model, external_id)] = mapping
            if mapping.last_source_timestamp and ctx.event.source_timestamp < mapping.last_source_timestamp:
                leftovers |= ctx.event
            else:
                fresh.append(ctx)
        if not fresh:
            return leftovers
        records = handler.apply_batch(fresh)
        self.env.flush_all()
        new_mappings = []
        for ctx, record in zip(fresh, records):
            external_id = str(handler.object_external_id(ctx.data))
            mapping = ctx._known[(handler.object_model, external_id)]
            values = {"res_id": record.id, "last_source_timestamp": ctx.event.source_timestamp,
                      "last_event_id": ctx.event.id}
            if mapping:
                mapping.write(values)
            else:
                new_mappings.append({"system_id": ctx.system.id, "res_model": handler.object_model,
                                     "external_id": external_id, **values})
        Mapping.create(new_mappings)
        done = self.env["construction.sync.event"].browse([ctx.event.id for ctx in fresh])
        done._transition(
            "done", "done", None, res_model=handler.object_model, finished_at=fields.Datetime.now(),
            lease_expires_at=False, claim_token=False, error_class=False, error_message=False,
            waiting_for=False,
        )
        self.env.flush_all()
        # Each event points to its own record: one statement rather than one UPDATE per event.
        self.env.cr.execute(
            "UPDATE construction_sync_event e SET res_id = v.res_id FROM (VALUES %s) AS v(id, res_id) WHERE e.id = v.id"
            % ", ".join(["(%s, %s)"] * len(fresh)),
            [value for ctx, record in zip(fresh, records) for value in (ctx.event.id, record.id)],
        )
        done.invalidate_recordset(["res_id"])
        return leftovers

    @api.model
    def _process_now(self, events):
        """Applies events in the current transaction (accept, small retries): locks them, then
        runs them as the runner would."""
        if not events:
            return
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM construction_sync_event WHERE id = ANY(%s) ORDER BY source_timestamp, id FOR UPDATE",
            (list(events.ids),),
        )
        for (event_id,) in self.env.cr.fetchall():
            event = self.env["construction.sync.event"].sudo().browse(event_id)
            if event.state not in ("pending", "awaiting_approval") or self._has_older_queued(event):
                # An older event about the same object goes first: the runner takes this one
                # after it, in source order.
                continue
            event._transition("processing", "claim", None, attempts=event.attempts + 1,
                              started_at=fields.Datetime.now())
            self._apply(event)

    @api.model
    def _has_older_queued(self, event):
        self.env.cr.execute(
            """
            SELECT 1 FROM construction_sync_event
             WHERE system_id = %s AND object_key = %s AND state IN ('pending', 'processing')
               AND (source_timestamp, id) < (%s, %s)
             LIMIT 1
            """,
            (event.system_id.id, event.object_key, event.source_timestamp, event.id),
        )
        return bool(self.env.cr.fetchone())

    # ------------------------------------------------------------------------------------------
    # applying one event
    # ------------------------------------------------------------------------------------------

    @api.model
    def _apply(self, event, settings_cache=None):
        handler = self.env["construction.sync.handler"]._get(event.event_type)
        settings = self._settings(event, {} if settings_cache is None else settings_cache)
        if handler is None or settings is None:
            return self._fail(event, TECHNICAL, "No handler is registered for event type %r." % event.event_type)
        data = json.loads(event.payload)["data"]
        external_id = handler.object_external_id(data)
        # Synced records are not tracked in their chatter: the event's audit trail says where
        # every change came from, and thousands of "created" messages would bury people's notes.
        handler_env = self.env(su=True, context=dict(self.env.context, tracking_disable=True))
        ctx = HandlerContext(handler_env, event, handler, data)
        watermark = ctx.mapping(handler.object_model, external_id)
        if watermark.last_source_timestamp and event.source_timestamp < watermark.last_source_timestamp:
            return event._transition(
                "stale", "stale",
                _("Older than the last applied event about %(object)s (%(last)s UTC); nothing changed.",
                  object=event.object_key, last=watermark.last_source_timestamp),
                finished_at=fields.Datetime.now(), lease_expires_at=False, claim_token=False,
            )
        try:
            with self.env.cr.savepoint() as savepoint:
                if settings["requires_approval"] and not event.approved:
                    summary = handler.prepare(ctx)
                    # Preparing only checks: whatever it touched is undone before the approval.
                    savepoint.close(rollback=True)
                    return event._transition(
                        "awaiting_approval", "approval", summary, approval_summary=summary,
                        lease_expires_at=False, claim_token=False,
                    )
                record = handler.apply(ctx)
                self.env.flush_all()
        except SyncDataError as exc:
            return self._fail(event, DATA, str(exc), waiting_for=exc.waiting_for)
        except OperationalError as exc:
            if exc.pgcode in TRANSIENT_PGCODES:
                return self._retry_later(event, settings, str(exc).strip())
            return self._fail(event, TECHNICAL, str(exc).strip(), traceback.format_exc())
        except (SyncBusinessError, UserError, ValidationError, AccessError) as exc:
            return self._fail(event, BUSINESS, str(exc.args[0]) if exc.args else str(exc))
        except Exception as exc:  # noqa: BLE001 - anything else is a bug a person must see
            _logger.exception("event %s (%s) failed", event.id, event.event_type)
            return self._fail(event, TECHNICAL, "%s: %s" % (type(exc).__name__, exc), traceback.format_exc())
        self._advance_watermark(ctx, handler, external_id, event, record)
        event._transition(
            "done", "done", None,
            res_model=record._name if record else False, res_id=record.id if record else False,
            finished_at=fields.Datetime.now(), lease_expires_at=False, claim_token=False,
            error_class=False, error_message=False, waiting_for=False,
        )
        return True

    @api.model
    def _advance_watermark(self, ctx, handler, external_id, event, record):
        """Records that `event` is the latest applied about its object, and maps the object to
        the record the handler produced (which releases events waiting for it)."""
        if record and record._name == handler.object_model:
            ctx.map(handler.object_model, external_id, record, watermark_event=event)
            return
        mapping = ctx.mapping(handler.object_model, external_id)
        values = {"last_source_timestamp": event.source_timestamp, "last_event_id": event.id}
        if mapping:
            mapping.write(values)
        else:
            ctx._mappings.create({"system_id": ctx.system.id, "res_model": handler.object_model,
                                  "external_id": str(external_id), **values})

    @api.model
    def _fail(self, event, error_class, message, trace=None, waiting_for=None):
        event._transition(
            "failed", "fail", "[%s] %s" % (error_class, message),
            error_class=error_class, error_message=message, error_traceback=trace or False,
            waiting_for=waiting_for or False, finished_at=fields.Datetime.now(),
            lease_expires_at=False, claim_token=False, next_attempt_at=False,
        )
        return False

    @api.model
    def _retry_later(self, event, settings, message):
        if event.attempts >= settings["max_attempts"]:
            event._transition(
                "dead", "dead",
                _("Gave up after %(n)s attempts: %(error)s", n=event.attempts, error=message),
                error_class=TRANSIENT, error_message=message, finished_at=fields.Datetime.now(),
                lease_expires_at=False, claim_token=False, next_attempt_at=False,
            )
            return False
        next_at = fields.Datetime.now() + backoff.retry_delay(event.attempts)
        event._transition(
            "pending", "retry_scheduled",
            _("Transient failure, attempt %(n)s of %(max)s; next try at %(at)s UTC: %(error)s",
              n=event.attempts, max=settings["max_attempts"], at=next_at, error=message),
            error_class=TRANSIENT, error_message=message, next_attempt_at=next_at,
            lease_expires_at=False, claim_token=False,
        )
        return False

    # ------------------------------------------------------------------------------------------
    # housekeeping
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_purge(self):
        """Deletes done events past their system's retention (audit rows go with them by
        cascade). Failed, dead and every other state are kept."""
        self.env.cr.execute(
            """
            DELETE FROM construction_sync_event e
             USING construction_sync_system s
             WHERE s.id = e.system_id
               AND e.state = 'done'
               AND e.finished_at < (statement_timestamp() at time zone 'utc') - make_interval(days => s.done_retention_days)
            """
        )
        _logger.info("purged %s done events", self.env.cr.rowcount)
        return self.env.cr.rowcount
