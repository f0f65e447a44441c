from odoo import _, api, fields, models
from odoo.tools import SQL

from .construction_sync_queue import RUNNER_LOCK_SPACE

# A claim is live while its runner's session holds its advisory lock (see
# construction.sync.queue) and its lease has not run out; otherwise it is stale: its messages are
# taken again, with the same webhook-id.
STALE = """
    (c.lease_expires_at < statement_timestamp() at time zone 'utc'
     OR NOT EXISTS (
            SELECT 1 FROM pg_locks l
             WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
               AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
               AND l.classid = %(lock_space)s::oid AND l.objid = c.runner_lock::oid))
"""


class ConstructionSyncOutboxClaim(models.Model):
    """Outbound messages a runner is sending: one row per runner claim and subscription, holding
    the claimed messages' ids, written in the claim's transaction and deleted in the one that
    records the answers. The messages themselves stay queued while they are sent: a state
    written on each (as inbound events have) was an UPDATE per message, a third of what the
    database did per delivery (six index entries a message, the queue's partial indexes read
    the state). While a claim is live its messages are neither claimed again nor counted as
    ready, and a later message about the same object waits for them (they are still queued)."""

    _name = "construction.sync.outbox.claim"
    _description = "Outbound Messages Being Sent"
    _log_access = False

    token = fields.Char(required=True, readonly=True, index=True)
    subscription_id = fields.Many2one("construction.sync.subscription", required=True, readonly=True,
                                      ondelete="cascade", index=True)
    runner_lock = fields.Integer(required=True, readonly=True)
    lease_expires_at = fields.Datetime(required=True, readonly=True)

    def init(self):
        # The ids in an array: Odoo has no such field, and a row per message is what this avoids.
        self.env.cr.execute("ALTER TABLE construction_sync_outbox_claim"
                            " ADD COLUMN IF NOT EXISTS message_ids integer[] NOT NULL DEFAULT '{}'")

    @api.model
    def _take(self, token, subscription_id, lock, lease, message_ids):
        """Writes the claim of `message_ids` (a subscription's, locked by the caller)."""
        self.env.cr.execute(
            "INSERT INTO construction_sync_outbox_claim (token, subscription_id, runner_lock, lease_expires_at,"
            " message_ids) VALUES (%s, %s, %s, statement_timestamp() at time zone 'utc' + %s, %s::int[])",
            (token, subscription_id, lock, lease, list(message_ids)))

    @api.model
    def _release(self, token):
        """Ends the claims written under `token` and returns the ids of their messages: the
        caller owns their outcome. None of them when a runner found the claim stale meanwhile
        and took its messages (it sends them again; the receiver dedupes on webhook-id)."""
        self.env.cr.execute("DELETE FROM construction_sync_outbox_claim WHERE token = %s RETURNING message_ids",
                            [token])
        return {message_id for (ids,) in self.env.cr.fetchall() for message_id in ids}

    @api.model
    def _in_flight(self, subscription_ids=None):
        """{subscription id: {token: [message ids]}} of the live claims (of `subscription_ids`)."""
        where = SQL("NOT " + STALE, lock_space=RUNNER_LOCK_SPACE)
        if subscription_ids is not None:
            where = SQL("%s AND c.subscription_id = ANY(%s)", where, list(subscription_ids))
        self.env.cr.execute(SQL("SELECT c.subscription_id, c.token, c.message_ids"
                                " FROM construction_sync_outbox_claim c WHERE %s", where))
        claims = {}
        for subscription_id, token, message_ids in self.env.cr.fetchall():
            claims.setdefault(subscription_id, {}).setdefault(token, []).extend(message_ids)
        return claims

    @api.model
    def _busy_ids(self):
        """The ids of every message a live claim holds."""
        return [message_id for tokens in self._in_flight().values() for ids in tokens.values() for message_id in ids]

    @api.model
    def _expire(self, subscription_ids):
        """Ends the stale claims of `subscription_ids` (locked by the caller, so that no other
        runner claims their messages meanwhile): a runner killed, restarted or cut from the
        database while it sent them, or hung past its lease. Their messages are due again at
        once, each with a line in its delivery log and the attempt counted (a message that
        kills its runner every time goes dead after the schedule's attempts instead of looping).
        Returns how many messages."""
        self.env.cr.execute(SQL(
            "DELETE FROM construction_sync_outbox_claim c WHERE c.subscription_id = ANY(%(subscriptions)s) AND "
            + STALE + " RETURNING c.message_ids",
            subscriptions=list(subscription_ids), lock_space=RUNNER_LOCK_SPACE))
        message_ids = [message_id for (ids,) in self.env.cr.fetchall() for message_id in ids]
        if not message_ids:
            return 0
        error = _("The runner stopped while sending (killed, restarted or cut from the database), or its lease"
                  " ran out; sent again with the same webhook-id.")
        self.env.cr.execute(
            """
            WITH interrupted AS (
                UPDATE construction_sync_outbox SET attempts = COALESCE(attempts, 0) + 1, last_status = 0,
                       last_error = %(error)s
                 WHERE id = ANY(%(ids)s) AND state = 'pending'
             RETURNING id, subscription_id, company_id, attempts
            )
            INSERT INTO construction_sync_outbox_attempt
                   (message_id, subscription_id, company_id, at, attempt, success, status, latency_ms, error)
            SELECT id, subscription_id, company_id, statement_timestamp() at time zone 'utc', attempts, false, 0, 0,
                   %(error)s
              FROM interrupted
            """, {"ids": message_ids, "error": error})
        self.env["construction.sync.outbox"].invalidate_model(["attempts", "last_status", "last_error", "attempt_ids"])
        self.env["construction.sync.outbox.attempt"].invalidate_model()
        return len(message_ids)
