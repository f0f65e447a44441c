from odoo import _, fields, models
from odoo.exceptions import UserError

from .construction_sync_event import STATES

ACTIONS = [
    ("claim", "Claimed"),
    ("done", "Applied"),
    ("fail", "Failed"),
    ("retry_scheduled", "Retry scheduled"),
    ("dead", "Dead"),
    ("stale", "Stale"),
    ("approval", "Sent for approval"),
    ("accept", "Accepted"),
    ("reject", "Rejected"),
    ("retry", "Retried"),
    ("release", "Released"),
    ("replay", "Replayed"),
    ("ignore", "Ignored"),
    ("assign", "Assigned"),
    ("note", "Note"),
    ("lease_expired", "Claimed Again"),
    ("apply_anyway", "Applied Anyway"),
    ("reset_watermark", "Watermark Reset"),
]


class ConstructionSyncAudit(models.Model):
    """Append-only trail of everything that happened to an event: who, when, from, to, why.
    Rows are inserted by the engine (SQL, cheap on the hot path); nobody edits or deletes them.
    They go only with their event, when a done event is purged."""

    _name = "construction.sync.audit"
    _description = "Sync Event Audit Entry"
    _order = "at desc, id desc"
    _log_access = False

    event_id = fields.Many2one("construction.sync.event", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", readonly=True, index=True)
    at = fields.Datetime(required=True, readonly=True)
    user_id = fields.Many2one("res.users", readonly=True)
    action = fields.Selection(ACTIONS, required=True, readonly=True)
    from_state = fields.Selection(STATES, readonly=True)
    to_state = fields.Selection(STATES, readonly=True)
    message = fields.Text(readonly=True)

    def _log(self, events, action, to_state, message=None):
        """One row per event; `to_state` None means the state does not change (note, assign)."""
        if not events:
            return
        # from_state is read in SQL: pending ORM writes must reach the table first.
        events.flush_recordset(["state", "company_id"])
        self.env.cr.execute(
            """
            INSERT INTO construction_sync_audit
                        (event_id, company_id, at, user_id, action, from_state, to_state, message)
            SELECT e.id, e.company_id, clock_timestamp() at time zone 'utc', %s, %s, e.state, COALESCE(%s, e.state), %s
              FROM construction_sync_event e
             WHERE e.id = ANY(%s)
            """,
            (self.env.uid, action, to_state, message, list(events.ids)),
        )
        events.invalidate_recordset(["audit_ids"])

    def write(self, vals):
        raise UserError(_("The audit trail is append-only."))

    def unlink(self):
        raise UserError(_("The audit trail is append-only."))
