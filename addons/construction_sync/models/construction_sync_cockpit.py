from datetime import timedelta

from odoo import _, api, fields, models

from ..sync import registry
from odoo.exceptions import AccessError, UserError

EXCEPTION_STATES = ("failed", "dead", "awaiting_approval")
PAGE_SIZE_MAX = 200
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
        """Health of every external system the user may see, over the last 24 hours."""
        self._check_access()
        systems = self.env["construction.sync.system"].search([])
        if not systems:
            return {"systems": [], "event_types": sorted(registry.HANDLERS),
                    "is_manager": self.env.user.has_group("construction_sync.group_manager")}
        # One small index lookup per system and figure (see the indexes in
        # construction.sync.event.init): it stays fast with millions of done events, where a
        # single GROUP BY over the table would read them all.
        self.env.cr.execute(
            """
            SELECT s.id,
                   (SELECT max(received_at) FROM construction_sync_event e WHERE e.system_id = s.id),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.received_at > (now() at time zone 'utc') - interval '24 hours'),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.received_at > (now() at time zone 'utc') - interval '24 hours'
                       AND e.state IN ('failed', 'dead')),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')),
                   (SELECT min(received_at) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state IN ('pending', 'processing')),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state = 'awaiting_approval'),
                   (SELECT count(*) FROM construction_sync_event e
                     WHERE e.system_id = s.id AND e.state IN ('failed', 'dead'))
              FROM unnest(%s) AS s(id)
            """,
            (systems.ids,),
        )
        stats = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        now = fields.Datetime.now()
        result = []
        for system in systems:
            last, received, failures, queued, oldest, awaiting, open_failures = stats.get(
                system.id, (None, 0, 0, 0, None, 0, 0))
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
                "queue_depth": queued,
                "oldest_pending_seconds": oldest_age,
                "awaiting_approval": awaiting,
                "open_failures": open_failures,
                "alert": error_rate > system.error_rate_threshold or (
                    oldest_age is not None and oldest_age > system.queue_age_threshold_minutes * 60),
            })
        return {"systems": result, "event_types": sorted(registry.HANDLERS),
                "is_manager": self.env.user.has_group("construction_sync.group_manager")}

    @api.model
    def get_exceptions(self, system_id=None, error_class=None, search=None, offset=0, limit=50,
                       order="received_desc", state=None, assignee=None, event_type=None,
                       older_than_hours=None):
        """One page of the events waiting for a person, with the total for the pager.
        `assignee` is "me", "nobody" or empty; `state` narrows to one exception state."""
        self._check_access()
        domain = [("state", "in", EXCEPTION_STATES)]
        if system_id:
            domain.append(("system_id", "=", int(system_id)))
        if error_class:
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
            self.env.cr.execute(
                """
                SELECT id FROM construction_sync_event
                 WHERE state IN ('failed', 'dead', 'awaiting_approval')
                   AND (split_part(object_key, ':', 2) = %s OR webhook_id = %s)
                """,
                (search.strip(), search.strip()),
            )
            domain.append(("id", "in", [row[0] for row in self.env.cr.fetchall()]))
        Event = self.env["construction.sync.event"]
        limit = max(1, min(int(limit), PAGE_SIZE_MAX))
        events = Event.search(domain, offset=max(0, int(offset)), limit=limit, order=ORDERS.get(order, ORDERS["received_desc"]))
        return {
            "total": Event.search_count(domain),
            "rows": [self._row(event) for event in events],
        }

    @api.model
    def _row(self, event):
        """An event as a line of the exceptions list (the detail panel starts from it too)."""
        return {
            "id": event.id,
            "system": event.system_id.name,
            "event_type": event.event_type,
            "webhook_id": event.webhook_id,
            "object_key": event.object_key or "",
            "state": event.state,
            "error_class": event.error_class or None,
            "error_message": event.error_message or event.approval_summary or "",
            "received_at": fields.Datetime.to_string(event.received_at),
            "attempts": event.attempts,
            "assignee": event.user_id.name or None,
            "approval": event.state == "awaiting_approval",
        }

    @api.model
    def get_event(self, event_id):
        """Everything the detail panel shows about one event; the traceback only to managers."""
        self._check_access()
        event = self.env["construction.sync.event"].browse(int(event_id)).exists()
        if not event:
            raise AccessError(_("This event does not exist or belongs to another company."))
        event.check_access("read")
        is_manager = self.env.user.has_group("construction_sync.group_manager")
        mapping_model, _sep, mapping_external_id = (event.waiting_for or "").partition(":")
        return {
            **self._row(event),
            "error_message": event.error_message or "",
            "approval_summary": event.approval_summary or "",
            "traceback": (event.sudo().error_traceback or None) if is_manager else None,
            "payload": event.payload_pretty or "",
            "waiting_for": {"model": mapping_model, "external_id": mapping_external_id} if event.waiting_for else None,
            "record": {"model": event.res_model, "id": event.res_id, "name": event.record_ref.display_name}
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
    def act(self, action, event_ids, text=None):
        """The cockpit's single and bulk actions, with the same rights as in the native views
        (the event methods check them); answers with what became of each event."""
        self._check_access()
        events = self.env["construction.sync.event"].browse([int(i) for i in event_ids]).exists()
        handlers = {
            "retry": lambda: events.action_retry(),
            "note": lambda: events.action_add_note(text),
            "assign_me": lambda: events.action_assign(self.env.uid),
            "ignore": lambda: events.action_ignore(text),
            "accept": lambda: events.action_accept(),
            "reject": lambda: events.action_reject(text),
        }
        if action not in handlers:
            raise UserError(_("Unknown cockpit action %s.", action))
        handlers[action]()
        return [{"id": e.id, "state": e.state, "error_message": e.error_message or ""} for e in events]
