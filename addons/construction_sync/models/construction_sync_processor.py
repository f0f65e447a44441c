import json
import logging
import traceback
from datetime import datetime, timezone

from psycopg2 import errorcodes, OperationalError

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..sync import backoff
from ..sync.context import HandlerContext
from ..sync.errors import BUSINESS, DATA, TECHNICAL, TRANSIENT, SyncBusinessError, SyncDataError

_logger = logging.getLogger(__name__)


def _now():
    """UTC now to the microsecond, for finished_at: fields.Datetime.now() drops the fraction, and
    received_at (written by PostgreSQL) keeps it, so an event applied within the second it arrived
    showed a negative processing latency, and the metrics' sub-second buckets were wrong."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


TRANSIENT_PGCODES = {
    errorcodes.SERIALIZATION_FAILURE,
    errorcodes.DEADLOCK_DETECTED,
    errorcodes.LOCK_NOT_AVAILABLE,
    errorcodes.QUERY_CANCELED,  # statement/lock timeout
}
# Another transaction changed (committed) a row this one read or writes since its snapshot: two
# runners applying events about one contract at once. Nothing is wrong with the event; it only
# needs a newer snapshot, so a runner applies it again right after its commit (see _drain).
CONFLICT_PGCODES = {errorcodes.SERIALIZATION_FAILURE, errorcodes.DEADLOCK_DETECTED}
# What _apply returns for an event deferred after such a conflict.
CONFLICT = "conflict"


class ConstructionSyncProcessor(models.AbstractModel):
    """Applies claimed, locked events through the handler registry: one by one, or together per
    event type for batchable handlers, each application in a savepoint so a failure concerns only
    its own event. The runners (construction.sync.runner) claim and commit; this model only
    applies, in the caller's transaction.
    """

    _name = "construction.sync.processor"
    _description = "Sync Event Processor"

    # ------------------------------------------------------------------------------------------
    # applying claimed events
    # ------------------------------------------------------------------------------------------

    @api.model
    def _process_claimed(self, event_id, token, settings_cache=None):
        """Applies one claimed event, unless another runner re-claimed it after our lease ran out."""
        self._apply_claimed(self.env["construction.sync.queue"]._lock_claimed([event_id], token), settings_cache)

    @api.model
    def _apply_claimed(self, events, settings_cache=None):
        """Applies locked, claimed events. Events whose handler can apply many at once are
        applied together per event type (one savepoint for the group); if anything in a group
        fails, its events are applied one by one instead, so a failure still concerns only its
        own event. Everything else is applied one by one, each in its own savepoint.

        Returns the events deferred after a write conflict with another transaction (only with
        the context key construction_sync_defer_conflicts, which the runners set), with any later
        event about the same objects: still claimed, untouched, for the caller to apply again in
        a new transaction."""
        settings_cache = {} if settings_cache is None else settings_cache
        deferred = self.env["construction.sync.event"]
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
            if event.object_key and event.object_key in set(deferred.mapped("object_key")):
                # A later event about an object whose earlier event was deferred waits with it:
                # applying it now would apply the two out of order.
                deferred |= event
                continue
            with self.env.cr.savepoint():
                if self._apply(event, settings_cache) == CONFLICT:
                    deferred |= event
        return deferred

    @api.model
    def _settings(self, event, settings_cache):
        if event.system_id.id not in settings_cache:
            settings_cache[event.system_id.id] = event.system_id._settings_by_type()
        return settings_cache[event.system_id.id].get(event.event_type)

    @api.model
    def _apply_group(self, handler, events):
        """Applies events of one type together; returns the ones left for the one-by-one path
        (stale ones, which that path explains)."""
        # Events of one group may come from several systems: their changes are echoed to none of them.
        origins = events.system_id.ids
        handler_env = self.env(su=True, context=dict(self.env.context, tracking_disable=True,
                                                     construction_sync_origin_system_id=origins))
        Mapping = self.env["construction.sync.mapping"].sudo()
        contexts = []
        for event in events:
            ctx = HandlerContext(handler_env, event, handler, json.loads(event.payload)["data"])
            contexts.append(ctx)
        keys = {(ctx.system.id, str(handler.object_external_id(ctx.data))) for ctx in contexts}
        known = {
            (m.system_id.id, m.external_id): m
            for m in Mapping.search([
                ("system_id", "in", list({system_id for system_id, _external_id in keys})),
                ("res_model", "=", handler.object_model),
                ("external_id", "in", list({external_id for _system_id, external_id in keys})),
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
        published = self.env["construction.sync.outbox"]._published_count()
        records = handler.apply_batch(fresh)
        self.env.flush_all()
        self._advance_watermarks(handler, [
            (ctx, handler.object_external_id(ctx.data), record) for ctx, record in zip(fresh, records)
        ])
        self.env["construction.sync.outbox"]._refresh_payloads(
            published, self.env[handler.object_model].concat(*[record for record in records if record]))
        self._finish_group(
            self.env["construction.sync.event"].browse([ctx.event.id for ctx in fresh]),
            handler.object_model, [record.id or None for record in records],
        )
        return leftovers

    @api.model
    def _finish_group(self, events, res_model, res_ids):
        """Moves events applied together to done, each pointing to its own record (`res_ids`, in
        the order of `events`), with one audit row each: what _transition does, in one statement.
        As an audit INSERT, an ORM write and a res_id UPDATE it wrote two new versions of every
        event row per claim, and each version adds an entry to every full index of the table."""
        self.env["construction.sync.event.hourly.dirty"]._mark(events)
        events.flush_recordset()
        finished_at = _now()
        self.env["construction.sync.latency"]._observe(events.ids, finished_at)
        # The audit rows read the row versions from before the UPDATE (a data-modifying CTE sees
        # the statement's snapshot): from_state is the state the events leave.
        self.env.cr.execute(
            """
            WITH applied AS (
                SELECT unnest(%(ids)s::int[]) AS id, unnest(%(res_ids)s::int[]) AS res_id
            ), audited AS (
                INSERT INTO construction_sync_audit
                            (event_id, company_id, at, user_id, action, from_state, to_state, message)
                SELECT e.id, e.company_id, clock_timestamp() at time zone 'utc', %(uid)s, 'done', e.state, 'done', NULL
                  FROM construction_sync_event e
                  JOIN applied ON applied.id = e.id
            )
            UPDATE construction_sync_event e
               SET state = 'done', res_model = %(res_model)s, res_id = applied.res_id,
                   finished_at = %(finished_at)s, lease_expires_at = NULL, claim_token = NULL,
                   error_class = NULL, error_message = NULL, waiting_for = NULL,
                   write_uid = %(uid)s, write_date = %(write_date)s
              FROM applied
             WHERE e.id = applied.id
            """,
            {"ids": events.ids, "res_ids": list(res_ids), "uid": self.env.uid, "res_model": res_model,
             "finished_at": finished_at, "write_date": self.env.cr.now()},
        )
        events.invalidate_recordset([
            "state", "res_model", "res_id", "finished_at", "lease_expires_at", "claim_token", "error_class",
            "error_message", "waiting_for", "write_uid", "write_date", "audit_ids",
        ])

    @api.model
    def _process_now(self, events):
        """Applies events in the current transaction (accept, small retries): locks them, then
        runs them as the runner would."""
        if not events:
            return
        Queue = self.env["construction.sync.queue"]
        for event in Queue._lock(events):
            if event.state not in ("pending", "awaiting_approval") or Queue._has_older_queued(event):
                # An older event about the same object goes first: the runner takes this one
                # after it, in source order.
                continue
            event._transition("processing", "claim", None, attempts=event.attempts + 1,
                              started_at=fields.Datetime.now())
            self._apply(event)

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
        handler_env = self.env(su=True, context=dict(self.env.context, tracking_disable=True,
                                                     construction_sync_origin_system_id=event.system_id.id))
        ctx = HandlerContext(handler_env, event, handler, data)
        watermark = ctx.mapping(handler.object_model, external_id)
        if (watermark.last_source_timestamp and event.source_timestamp < watermark.last_source_timestamp
                and not event.watermark_override):
            # The watermark is recorded as it is now: it may move or be reset later, and this
            # stays the reason the cockpit shows (a manager may apply the event anyway).
            return event._transition(
                "stale", "stale",
                _("Older than the last applied event about %(object)s (%(last)s UTC, event %(event)s); "
                  "nothing changed.",
                  object=event.object_key, last=watermark.last_source_timestamp,
                  event=watermark.last_event_id.webhook_id or _("unknown")),
                finished_at=_now(), lease_expires_at=False, claim_token=False,
                stale_watermark=watermark.last_source_timestamp, stale_watermark_event_id=watermark.last_event_id.id,
            )
        published = self.env["construction.sync.outbox"]._published_count()
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
                # A domain addon may hold one event for a person (a suspected duplicate): the same
                # gate, with its reason (construction.sync.handler._hold_reason).
                hold = not event.approved and self.env["construction.sync.handler"]._hold_reason(handler, ctx)
                if hold:
                    savepoint.close(rollback=True)
                    return event._transition(
                        "awaiting_approval", "approval", hold, approval_summary=hold,
                        lease_expires_at=False, claim_token=False,
                    )
                record = handler.apply(ctx)
                self.env.flush_all()
        except SyncDataError as exc:
            return self._fail(event, DATA, str(exc), waiting_for=exc.waiting_for)
        except OperationalError as exc:
            if exc.pgcode in CONFLICT_PGCODES and self.env.context.get("construction_sync_defer_conflicts"):
                _logger.info("event %s (%s): write conflict with another transaction; applied again after "
                             "this batch commits", event.id, event.event_type)
                return CONFLICT
            if exc.pgcode in TRANSIENT_PGCODES:
                return self._retry_later(event, settings, str(exc).strip())
            return self._fail(event, TECHNICAL, str(exc).strip(), traceback.format_exc())
        except (SyncBusinessError, UserError, ValidationError, AccessError) as exc:
            return self._fail(event, BUSINESS, str(exc.args[0]) if exc.args else str(exc))
        except Exception as exc:  # noqa: BLE001 - anything else is a bug a person must see
            _logger.exception("event %s (%s) failed", event.id, event.event_type)
            return self._fail(event, TECHNICAL, "%s: %s" % (type(exc).__name__, exc), traceback.format_exc())
        self._advance_watermarks(handler, [(ctx, external_id, record)])
        self.env["construction.sync.outbox"]._refresh_payloads(published, record)
        finished_at = _now()
        self.env["construction.sync.latency"]._observe(event.ids, finished_at)
        event._transition(
            "done", "done", None,
            res_model=record._name if record else False, res_id=record.id if record else False,
            finished_at=finished_at, lease_expires_at=False, claim_token=False,
            error_class=False, error_message=False, waiting_for=False,
        )
        return True

    @api.model
    def _advance_watermarks(self, handler, applied):
        """For each (context, external id, record) applied by `handler`: records that the
        context's event is the latest applied about its object, and maps the object to the record
        the handler produced (which releases events waiting for it). The new mappings are created
        together, in one statement (construction.sync.mapping._insert)."""
        new_mappings = []
        for ctx, external_id, record in applied:
            values = {"last_source_timestamp": ctx.event.source_timestamp, "last_event_id": ctx.event.id}
            if record and record._name == handler.object_model:
                values["res_id"] = record.id
            mapping = ctx.mapping(handler.object_model, external_id)
            if mapping.last_source_timestamp and ctx.event.source_timestamp < mapping.last_source_timestamp:
                # An event applied anyway, older than the watermark: the watermark never moves
                # backwards, or a replay of updates older than the newest one would apply over it.
                values.pop("last_source_timestamp")
                values.pop("last_event_id")
            if mapping:
                if values:
                    mapping.write(values)
            else:
                new_mappings.append({"system_id": ctx.system.id, "res_model": handler.object_model,
                                     "external_id": str(external_id), **values})
        self.env["construction.sync.mapping"].sudo()._insert(new_mappings)

    @api.model
    def _fail(self, event, error_class, message, trace=None, waiting_for=None):
        event._transition(
            "failed", "fail", "[%s] %s" % (error_class, message),
            error_class=error_class, error_message=message, error_traceback=trace or False,
            waiting_for=waiting_for or False, finished_at=_now(),
            lease_expires_at=False, claim_token=False, next_attempt_at=False,
        )
        return False

    @api.model
    def _retry_later(self, event, settings, message):
        if event.attempts >= settings["max_attempts"]:
            event._transition(
                "dead", "dead",
                _("Gave up after %(n)s attempts: %(error)s", n=event.attempts, error=message),
                error_class=TRANSIENT, error_message=message, finished_at=_now(),
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
