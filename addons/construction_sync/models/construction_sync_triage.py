from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Exceptions a group gathers: those waiting for a person (approval items are decisions, not
# problems, and are not grouped).
TRIAGE_STATES = ("failed", "dead")
# Quoted values and numbers differ from one event to the next ("Unknown customer 'C-20'" and
# "'C-21'"); the rest of the message is the pattern that makes exceptions similar.
PATTERN = r"""'[^']*'|"[^"]*"|[0-9]+"""
# One action per group: what usually fixes it. Data errors wait for a reference: map it and the
# events apply by themselves (construction.sync.mapping releases them), or retry once it exists.
SUGGESTED = {"data": "retry", "transient": "retry", "technical": "retry", "business": "assign_me"}
# Events one group action touches at most (the cockpit's "select all" runs chunks of 500).
GROUP_ACTION_MAX = 5000
GROUP_ACTIONS = ("retry", "assign_me", "ignore", "note")


class ConstructionSyncTriage(models.AbstractModel):
    """Exception triage: similar failed and dead events (same system, error class and the same
    missing reference, or the same message once its values are blanked) in one line with a count
    and one action for the whole group ("37 events wait for Contact C-20")."""

    _name = "construction.sync.triage"
    _description = "Sync Exception Triage"

    def _group_sql(self, system_id=None):
        # Aggregates over the exception partial index (construction.sync.event INDEXES); the
        # companies are the user's, as the event record rule would filter them.
        conditions = [SQL("e.state IN %s", TRIAGE_STATES), SQL("e.company_id = ANY(%s)", self.env.companies.ids)]
        if system_id:
            conditions.append(SQL("e.system_id = %s", int(system_id)))
        key = SQL("COALESCE(e.waiting_for, regexp_replace(COALESCE(e.error_message, ''), %s, '…', 'g'))", PATTERN)
        return key, SQL(" AND ").join(conditions)

    @api.model
    def get_groups(self, system_id=None, limit=50):
        """[{key: {system_id, error_class, reference}, count, label, system, error_class,
        event_types, first_at, last_at, example, action}] largest groups first."""
        self.env["construction.sync.cockpit"]._check_access()
        self.env.flush_all()
        key, where = self._group_sql(system_id)
        self.env.cr.execute(SQL(
            """
            SELECT e.system_id, COALESCE(e.error_class, ''), %s AS reference, bool_or(e.waiting_for IS NOT NULL),
                   count(*), array_agg(DISTINCT e.event_type), min(e.received_at), max(e.received_at),
                   min(e.error_message)
              FROM construction_sync_event e
             WHERE %s
             GROUP BY 1, 2, 3
             ORDER BY 5 DESC, 8 DESC
             LIMIT %s
            """, key, where, int(limit)))
        rows = self.env.cr.fetchall()
        systems = {s.id: s.name for s in self.env["construction.sync.system"].browse({r[0] for r in rows}).exists()}
        classes = dict(self.env["construction.sync.event"]._fields["error_class"]._description_selection(self.env))
        groups = []
        for system_id_, error_class, reference, waiting, count, types, first_at, last_at, example in rows:
            if system_id_ not in systems:
                continue
            groups.append({
                "key": {"system_id": system_id_, "error_class": error_class, "reference": reference},
                "count": count,
                "label": self._label(count, error_class, reference, waiting, classes),
                "system": systems[system_id_],
                "error_class": error_class,
                "event_types": sorted(types),
                "first_at": first_at and first_at.strftime("%Y-%m-%d %H:%M:%S"),
                "last_at": last_at and last_at.strftime("%Y-%m-%d %H:%M:%S"),
                "example": example or "",
                "action": SUGGESTED.get(error_class, "retry"),
            })
        return groups

    def _label(self, count, error_class, reference, waiting, classes):
        if waiting:
            model, _sep, external_id = reference.partition(":")
            what = self.env[model]._description if model in self.env else model
            return self.env._("%(count)s events wait for %(what)s %(id)s", count=count, what=what, id=external_id)
        return self.env._(
            "%(count)s %(class)s errors: %(pattern)s", count=count,
            **{"class": classes.get(error_class, error_class or self.env._("unknown")), "pattern": reference})

    @api.model
    def get_group_event_ids(self, key):
        """The ids of the events of one group (as get_groups returned its key), oldest first."""
        self.env["construction.sync.cockpit"]._check_access()
        self.env.flush_all()
        group_key, where = self._group_sql(key.get("system_id"))
        self.env.cr.execute(SQL(
            """
            SELECT e.id FROM construction_sync_event e
             WHERE %s AND COALESCE(e.error_class, '') = %s AND %s = %s
             ORDER BY e.received_at, e.id LIMIT %s
            """, where, key.get("error_class") or "", group_key, key.get("reference") or "", GROUP_ACTION_MAX))
        return [event_id for (event_id,) in self.env.cr.fetchall()]

    @api.model
    def act_on_group(self, key, action, text=None):
        """Applies one cockpit action (retry, assign_me, ignore with a reason, note) to every event
        of a group, with the person's own rights (construction.sync.cockpit.act); events moved out
        of the action's states meanwhile are skipped."""
        if action not in GROUP_ACTIONS:
            raise UserError(self.env._("Unknown group action %s.", action))
        event_ids = self.get_group_event_ids(key)
        if not event_ids:
            raise UserError(self.env._("This group has no exception left: someone fixed it meanwhile."))
        return self.env["construction.sync.cockpit"].act(action, event_ids, text=text, skip_ineligible=True)
