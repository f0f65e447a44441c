import json
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..sync.context import HandlerContext
from ..sync.errors import SyncError
from ..sync.planner import without_bitmap_scans
from .access import readable
from .construction_sync_event import IGNORABLE, RETRYABLE, STALE_WINDOW_DAYS
from .construction_sync_event_hourly import hour_of

EXCEPTION_STATES = ("failed", "dead", "awaiting_approval")
# The list's other view: the stale events of the last STALE_WINDOW_DAYS (get_exceptions(state="stale")).
STALE = "stale"
PAGE_SIZE_MAX = 200
# "Select all matching" acts on at most this many events at a time.
SELECT_ALL_MAX = 100_000
# The states each action applies to, for bulk runs that skip the others.
ELIGIBLE = {
    "retry": RETRYABLE,
    "ignore": IGNORABLE,
    "accept": ("awaiting_approval",),
    "reject": ("awaiting_approval",),
    "apply_anyway": ("stale",),
}
# The list's approvals view (get_exceptions(state="awaiting_approval")).
APPROVAL = "awaiting_approval"
# States in which an event is still on its way: an outcome is final once none is left in them.
RUNNING_STATES = ("pending", "processing")
# How many different reasons an outcome names (the largest groups first).
OUTCOME_REASONS = 3
ORDERS = {
    "received_desc": "received_at desc, id desc",
    "received_asc": "received_at asc, id asc",
    "type": "event_type, received_at desc, id desc",
}


class ConstructionSyncCockpit(models.AbstractModel):
    """What the cockpit client action reads: a few aggregate queries shaped exactly as the
    TypeScript side parses them (web_src/core/schemas.ts). The cockpit computes nothing itself."""

    _name = "construction.sync.cockpit"
    _description = "Integration Cockpit Queries"

    def _check_access(self):
        if not self.env.user.has_group("construction_sync.group_user"):
            raise AccessError(_("The integration cockpit is for integration users."))

    @api.model
    def get_overview(self):
        """Health of every external system the user may see, over the last 24 hours; its stale
        events (still stale: not applied anyway, replayed or ignored) over STALE_WINDOW_DAYS."""
        self._check_access()
        systems = self.env["construction.sync.system"].search([])
        if not systems:
            return {"systems": [], "event_types": self.env["construction.sync.handler"]._event_types(),
                    "is_manager": self.env.user.has_group("construction_sync.group_manager"),
                    "stale_days": STALE_WINDOW_DAYS}
        # One small index lookup per system and figure (see the indexes in
        # construction.sync.event.init): it stays fast with millions of done events, where a
        # single GROUP BY over the table would read them all. Without bitmap scans (sync.planner).
        with without_bitmap_scans(self.env.cr):
            self.env.cr.execute(
                """
                SELECT s.id,
                       (SELECT max(received_at) FROM construction_sync_event e WHERE e.system_id = s.id) AS last_at,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.received_at > (now() at time zone 'utc') - interval '24 hours')
                           AS received,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.received_at > (now() at time zone 'utc') - interval '24 hours'
                           AND e.state IN ('failed', 'dead')) AS failures,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')) AS queued,
                       (SELECT min(received_at) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')) AS oldest,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state = 'awaiting_approval') AS awaiting,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state IN ('failed', 'dead')) AS open_failures,
                       (SELECT count(*) FROM construction_sync_event e
                         WHERE e.system_id = s.id AND e.state = 'stale'
                           AND e.received_at > (now() at time zone 'utc') - make_interval(days => %s)) AS stale
                  FROM unnest(%s) AS s(id)
                """,
                (STALE_WINDOW_DAYS, systems.ids),
            )
            # unnest() gives every system its row, events or not.
            rows = self.env.cr.dictfetchall()
        stats = {row["id"]: row for row in rows}
        now = fields.Datetime.now()
        result = []
        for system in systems:
            figures = stats[system.id]
            last, oldest = figures["last_at"], figures["oldest"]
            received, failures = figures["received"], figures["failures"]
            error_rate = 100.0 * failures / received if received else 0.0
            oldest_age = int((now - oldest).total_seconds()) if oldest else None
            result.append({
                "id": system.id,
                "name": system.name,
                "code": system.code,
                "last_delivery_at": fields.Datetime.to_string(last) if last else None,
                "received_24h": received,
                "failed_24h": failures,
                "error_rate": round(error_rate, 1),
                "queue_depth": figures["queued"],
                "oldest_pending_seconds": oldest_age,
                "awaiting_approval": figures["awaiting"],
                "open_failures": figures["open_failures"],
                "stale": figures["stale"],
                "alert": error_rate > system.error_rate_threshold or (
                    oldest_age is not None and oldest_age > system.queue_age_threshold_minutes * 60),
            })
        return {"systems": result, "event_types": self.env["construction.sync.handler"]._event_types(),
                "is_manager": self.env.user.has_group("construction_sync.group_manager"),
                "stale_days": STALE_WINDOW_DAYS}

    @api.model
    def _exception_domain(self, system_id=None, error_class=None, search=None, state=None, assignee=None,
                          event_type=None, older_than_hours=None):
        """The filters of the exceptions list as a domain; the list, its count and "select all
        matching" read the same events. `state` "stale" is the list's other view: the stale
        events received over the last STALE_WINDOW_DAYS, as counted on the systems' cards."""
        stale_since = fields.Datetime.now() - timedelta(days=STALE_WINDOW_DAYS)
        if state == STALE:
            domain = [("state", "=", STALE), ("received_at", ">", stale_since)]
        else:
            domain = [("state", "in", EXCEPTION_STATES)]
        if system_id:
            # Another company's system is refused, not just answered with an empty list.
            domain.append(("system_id", "=", readable(self.env["construction.sync.system"], [system_id]).id))
        if error_class and state != STALE:
            # Stale events have no error class: the filter concerns the exceptions only.
            domain.append(("error_class", "=", error_class))
        if state in EXCEPTION_STATES:
            domain.append(("state", "=", state))
        if event_type:
            domain.append(("event_type", "=", event_type))
        if older_than_hours:
            cutoff = fields.Datetime.now() - timedelta(hours=float(older_than_hours))
            domain.append(("received_at", "<", cutoff))
        if assignee == "me":
            domain.append(("user_id", "=", self.env.uid))
        elif assignee == "nobody":
            domain.append(("user_id", "=", False))
        if search:
            # Exact external id or webhook id, through two small partial indexes: a substring
            # search over every waiting event's text would not stay fast at scale.
            if state == STALE:
                # Among the few stale events of the window (construction_sync_event_stale_idx).
                self.env.cr.execute(
                    """
                    SELECT id FROM construction_sync_event
                     WHERE state = 'stale' AND received_at > %s
                       AND (split_part(object_key, ':', 2) = %s OR webhook_id = %s)
                    """,
                    (stale_since, search.strip(), search.strip()),
                )
            else:
                self.env.cr.execute(
                    """
                    SELECT id FROM construction_sync_event
                     WHERE state IN ('failed', 'dead', 'awaiting_approval')
                       AND (split_part(object_key, ':', 2) = %s OR webhook_id = %s)
                    """,
                    (search.strip(), search.strip()),
                )
            domain.append(("id", "in", [event_id for (event_id,) in self.env.cr.fetchall()]))
        return domain

    @api.model
    def get_exceptions(self, system_id=None, error_class=None, search=None, offset=0, limit=50,
                       order="received_desc", state=None, assignee=None, event_type=None,
                       older_than_hours=None):
        """One page of the events waiting for a person, with the total for the pager.
        `assignee` is "me", "nobody" or empty; `state` narrows to one exception state, or is
        "stale" for the stale events of the last STALE_WINDOW_DAYS."""
        self._check_access()
        domain = self._exception_domain(system_id, error_class, search, state, assignee, event_type, older_than_hours)
        Event = self.env["construction.sync.event"]
        limit = max(1, min(int(limit), PAGE_SIZE_MAX))
        events = Event.search(
            domain, offset=max(0, int(offset)), limit=limit, order=ORDERS.get(order, ORDERS["received_desc"]),
        )
        return {
            "total": Event.search_count(domain),
            "rows": self._rows(events),
        }

    @api.model
    def get_exception_ids(self, system_id=None, error_class=None, search=None, state=None, assignee=None,
                          event_type=None, older_than_hours=None):
        """The ids of every event the filters match, oldest first, for "select all N matching":
        the client then acts on them in chunks. Ids only, read from the exception indexes, and
        capped so that one answer stays a few hundred kilobytes."""
        self._check_access()
        domain = self._exception_domain(system_id, error_class, search, state, assignee, event_type, older_than_hours)
        return self.env["construction.sync.event"].search(
            domain, order="received_at asc, id asc", limit=SELECT_ALL_MAX,
        ).ids

    @api.model
    def get_trends(self, days=7, system_id=None):
        """Events per received hour by state, and the exceptions among them by error class and
        by event type, over the last `days` (7 or 30) days, from the hourly rollup
        (construction.sync.event.hourly) plus the current hour counted live."""
        self._check_access()
        days = 30 if int(days) >= 30 else 7
        Hourly = self.env["construction.sync.event.hourly"]
        Hourly.sudo()._rollup()
        current = hour_of(fields.Datetime.now())
        since = current - timedelta(days=days) + timedelta(hours=1)
        # The systems of the user's companies (record rule): the hand-written queries below
        # filter by them, as the ORM would. Another company's system is refused.
        System = self.env["construction.sync.system"]
        systems = readable(System, [system_id]) if system_id else System.search([])
        self.env.cr.execute(
            """
            WITH buckets AS (
                SELECT hour, event_type, state, error_class, count
                  FROM construction_sync_event_hourly
                 WHERE hour >= %(since)s AND hour < %(current)s AND system_id = ANY(%(systems)s)
                 UNION ALL
                SELECT %(current)s, event_type, state, COALESCE(error_class, ''), count(*)
                  FROM construction_sync_event
                 WHERE system_id = ANY(%(systems)s) AND received_at >= %(current)s
                 GROUP BY event_type, state, COALESCE(error_class, '')
            )
            SELECT hour, event_type, state, error_class, sum(count)::int
              FROM buckets GROUP BY 1, 2, 3, 4 ORDER BY 1
            """,
            {"since": since, "current": current, "systems": systems.ids},
        )
        by_hour, by_error_class, by_event_type = {}, {}, {}
        for hour, event_type, state, error_class, count in self.env.cr.fetchall():
            key = (fields.Datetime.to_string(hour), state)
            by_hour[key] = by_hour.get(key, 0) + count
            if state in EXCEPTION_STATES:
                # Approval items carry no error class: they are counted as their own kind.
                kind = "approval" if state == "awaiting_approval" else (error_class or "technical")
                by_error_class[kind] = by_error_class.get(kind, 0) + count
                by_event_type[event_type] = by_event_type.get(event_type, 0) + count
        return {
            "days": days,
            "since": fields.Datetime.to_string(since),
            "until": fields.Datetime.to_string(current),
            "by_hour": [{"hour": hour, "state": state, "count": count} for (hour, state), count in by_hour.items()],
            "by_error_class": [
                {"key": key, "count": count}
                for key, count in sorted(by_error_class.items(), key=lambda kv: -kv[1])
            ],
            "by_event_type": [
                {"key": key, "count": count}
                for key, count in sorted(by_event_type.items(), key=lambda kv: -kv[1])
            ],
        }

    @api.model
    def replay_range(self, system_id, date_from, date_to, event_type=None, reason=None, include_done=False):
        """Replays the failed and dead events (and the done ones when asked) one system
        received between two moments, through the replay wizard: same rules, same audit.
        Managers only. Answers how many events went back to the queue."""
        self._check_access()
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise AccessError(_("Only integration managers can replay events."))
        system = readable(self.env["construction.sync.system"], [system_id])
        wizard = self.env["construction.sync.replay.wizard"].create({
            "system_id": system.id,
            "date_from": date_from,
            "date_to": date_to,
            "event_type": event_type or False,
            "include_done": bool(include_done),
            "reason": (reason or "").strip() or _("Replay from the cockpit"),
        })
        events = self.env["construction.sync.event"].search(wizard._domain())
        wizard.action_replay()
        events._notify_changed()
        return {"replayed": len(events)}

    @api.model
    def _rows(self, events):
        """Events as lines of the exceptions list: a page's object names and labels are looked
        up together, a few queries per page whatever its size."""
        Event = self.env["construction.sync.event"]
        states = dict(Event._fields["state"]._description_selection(self.env))
        classes = dict(Event._fields["error_class"]._description_selection(self.env))
        names = self._object_names(events)
        return [self._row(event, states, classes, names) for event in events]

    @api.model
    def _row(self, event, states, classes, names):
        """An event as a line of the exceptions list (the detail panel starts from it too), with
        the selection labels and object names _rows read for the page."""
        model, _sep, external_id = (event.object_key or "").partition(":")
        return {
            "id": event.id,
            "system": event.system_id.name,
            "event_type": event.event_type,
            "webhook_id": event.webhook_id,
            "object_key": event.object_key or "",
            # "Change Order PCO-014 ...": the model as Odoo names it and the record's own name;
            # the external id (the sending platform's number) is object_key's second half.
            "object_label": self._object_label(model, external_id, names.get((event.system_id.id, model, external_id))),
            "external_id": external_id,
            "state": event.state,
            "state_label": states.get(event.state, event.state),
            "error_class": event.error_class or None,
            "error_class_label": classes.get(event.error_class) if event.error_class else None,
            "error_message": event.error_message or event.approval_summary or "",
            "received_at": fields.Datetime.to_string(event.received_at),
            "attempts": event.attempts,
            "assignee": event.user_id.name or None,
            "approval": event.state == APPROVAL,
            # Accept and Reject take the right the event's handler names (event._check_approver),
            # which is not always the integration manager's.
            "can_decide": event.can_decide,
            "amount": self._approval_amount(event) if event.state == APPROVAL else None,
            "stale": self._stale_reason(event),
        }

    @api.model
    def _object_names(self, events):
        """{(system id, model, external id): display name} of the records the events' objects
        are mapped to, read in one query per model."""
        keys = {}
        for event in events:
            model, _sep, external_id = (event.object_key or "").partition(":")
            if model in self.env and external_id:
                keys.setdefault(model, set()).add((event.system_id.id, external_id))
        names = {}
        Mapping = self.env["construction.sync.mapping"].sudo()
        for model, wanted in keys.items():
            mappings = Mapping.search([
                ("res_model", "=", model),
                ("system_id", "in", list({system_id for system_id, _external_id in wanted})),
                ("external_id", "in", list({external_id for _system_id, external_id in wanted})),
            ])
            ids = {mapping.res_id for mapping in mappings if mapping.res_id}
            # The user's own rights: a record they may not read keeps its external id only.
            records = {
                record.id: record.display_name
                for record in self.env[model].browse(ids).exists()._filtered_access("read")
            } if ids else {}
            for mapping in mappings:
                if mapping.res_id in records:
                    names[(mapping.system_id.id, model, mapping.external_id)] = records[mapping.res_id]
        return names

    @api.model
    def _object_label(self, model, external_id, name):
        if not model:
            return external_id
        description = self.env["ir.model"].sudo()._get(model).name if model in self.env else model
        return "%s %s" % (description, name or external_id)

    @api.model
    def _approval_amount(self, event):
        """The amount an approver decides on, from the event's handler (EventHandler.approval_amount),
        with its currency's ISO code for the cockpit to format; None when the event names none."""
        handler = self.env["construction.sync.handler"]._get(event.event_type)
        if not handler:
            return None
        try:
            data = json.loads(event.sudo().payload)["data"]
            amount = handler.approval_amount(HandlerContext(self.env, event, handler, data))
        except (SyncError, AccessError, ValueError, KeyError, TypeError):
            # The amount is a help for the reader; the approval itself checks everything again.
            return None
        if not amount:
            return None
        value, currency = amount
        return {"value": currency.round(value), "currency": currency.name}

    @api.model
    def _stale_reason(self, event):
        """Why a stale event is stale: the watermark it was older than, recorded when it went
        stale (and the event that had set it, unless purged since). None for other events, and
        for the ones that went stale before the watermark was recorded."""
        if event.state != STALE or not event.stale_watermark:
            return None
        cause = event.stale_watermark_event_id
        return {
            "watermark": fields.Datetime.to_string(event.stale_watermark),
            "event_id": cause.id or None,
            "webhook_id": cause.webhook_id or None,
            "received_at": fields.Datetime.to_string(cause.received_at) if cause else None,
        }

    @api.model
    def _watermark(self, event):
        """For a stale event's detail: its object's watermark now, and what Reset Watermark
        would set it back to (construction.sync.mapping._watermark_after_reset)."""
        if event.state != STALE or not event.object_key:
            return None
        model, _sep, external_id = event.object_key.partition(":")
        mapping = self.env["construction.sync.mapping"]._find(event.system_id, model, external_id)
        if not mapping:
            return None
        reset_at, reset_event = mapping._watermark_after_reset()
        return {
            "mapping_id": mapping.id,
            "at": fields.Datetime.to_string(mapping.last_source_timestamp) if mapping.last_source_timestamp else None,
            "webhook_id": mapping.last_event_id.webhook_id or None,
            "reset_to": fields.Datetime.to_string(reset_at) if reset_at else None,
            "reset_to_webhook_id": reset_event.webhook_id or None,
        }

    @api.model
    def get_event(self, event_id):
        """Everything the detail panel shows about one event; the traceback only to managers."""
        self._check_access()
        event = readable(self.env["construction.sync.event"], [event_id])
        is_manager = self.env.user.has_group("construction_sync.group_manager")
        mapping_model, _sep, mapping_external_id = (event.waiting_for or "").partition(":")
        return {
            **self._rows(event)[0],
            "error_message": event.error_message or "",
            "approval_summary": event.approval_summary or "",
            "traceback": (event.sudo().error_traceback or None) if is_manager else None,
            "payload": event.payload_pretty or "",
            "waiting_for": {"model": mapping_model, "external_id": mapping_external_id} if event.waiting_for else None,
            "watermark": self._watermark(event),
            "record": {"model": event.res_model, "id": event.res_id, "name": event.record_ref.display_name,
                       "external_id": self._record_external_id(event)}
            if event.record_ref else None,
            "audit": [{
                "at": fields.Datetime.to_string(entry.at),
                "user": entry.user_id.name or "",
                "action": dict(entry._fields["action"].selection)[entry.action],
                "from_state": entry.from_state or None,
                "to_state": entry.to_state or None,
                "message": entry.message or "",
            } for entry in event.audit_ids.sorted(lambda a: (a.at, a.id), reverse=True)],
        }

    @api.model
    def _record_external_id(self, event):
        """The sending platform's number of the record the event produced (SC-3105 beside the
        purchase order's P00013), from its mapping; None when it is the record's own name."""
        mapping = self.env["construction.sync.mapping"].sudo().search([
            ("system_id", "=", event.system_id.id), ("res_model", "=", event.res_model),
            ("res_id", "=", event.res_id),
        ], limit=1)
        return mapping.external_id or None

    @api.model
    def get_outcome(self, event_ids):
        """What became of events the user acted on (a bulk retry's, once the runners had them):
        how many are in each state, how many are still on their way, and the commonest reasons
        of those still failing. One aggregate query over the ids, within the user's rules."""
        self._check_access()
        Event = self.env["construction.sync.event"]
        ids = [int(event_id) for event_id in event_ids][:SELECT_ALL_MAX]
        query = Event._search([("id", "in", ids)])
        columns = [SQL.identifier(Event._table, name) for name in ("state", "error_class", "error_message")]
        query.groupby = SQL(", ").join(columns)
        self.env.cr.execute(query.select(*columns, SQL("count(*)")))
        states, reasons = {}, []
        classes = dict(Event._fields["error_class"]._description_selection(self.env))
        for state, error_class, message, count in self.env.cr.fetchall():
            states[state] = states.get(state, 0) + count
            if state in ("failed", "dead"):
                reasons.append({
                    "error_class": error_class or None,
                    "error_class_label": classes.get(error_class) if error_class else None,
                    "message": (message or "").strip(),
                    "count": count,
                })
        reasons.sort(key=lambda reason: (-reason["count"], reason["message"]))
        return {
            "total": sum(states.values()),
            "states": states,
            "running": sum(states.get(state, 0) for state in RUNNING_STATES),
            "reasons": reasons[:OUTCOME_REASONS],
        }

    @api.model
    def act(self, action, event_ids, text=None, skip_ineligible=False):
        """The cockpit's single and bulk actions, with the same rights as in the native views
        (the event methods check them); answers with what became of each event.

        With skip_ineligible (the chunks of a "select all matching" run), events another person
        or the processor moved out of the action's states since the ids were read are left out
        instead of refusing the whole chunk; the answer lists only the events acted on."""
        self._check_access()
        # Every id must be one the user may read, or nothing is done (not even the others).
        events = readable(self.env["construction.sync.event"], event_ids)
        if skip_ineligible and action in ELIGIBLE:
            events = events.filtered(lambda e: e.state in ELIGIBLE[action])
        handlers = {
            "retry": lambda: events.action_retry(),
            "note": lambda: events.action_add_note(text),
            "assign_me": lambda: events.action_assign(self.env.uid),
            "ignore": lambda: events.action_ignore(text),
            "accept": lambda: events.action_accept(),
            "reject": lambda: events.action_reject(text),
            "apply_anyway": lambda: events.action_apply_anyway(text),
            "reset_watermark": lambda: events.action_reset_watermark(text),
        }
        if action not in handlers:
            raise UserError(_("Unknown cockpit action %s.", action))
        handlers[action]()
        if events:
            events._notify_changed()
        return [{"id": e.id, "state": e.state, "error_message": e.error_message or ""} for e in events]

    @api.model
    def get_available(self, calls):
        """Which of the [model, method] pairs in `calls` this database can answer. Optional addons
        add figures the cockpit shows beside the engine's (vendor compliance, held bills); the
        cockpit asks first and calls only those, so a database without them shows nothing
        instead of an error. Private methods are never offered: RPC cannot call them."""
        self._check_access()
        if not isinstance(calls, (list, tuple)) or not all(
                isinstance(call, (list, tuple)) and len(call) == 2 and all(isinstance(part, str) for part in call)
                for call in calls):
            raise UserError(_("Ask for available cockpit calls as a list of [model, method] pairs."))
        return [
            [model, method] for model, method in calls
            if model in self.env and not method.startswith("_")
            and callable(getattr(self.env[model], method, None))
        ]
