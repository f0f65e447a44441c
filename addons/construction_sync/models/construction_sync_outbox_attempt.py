from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# A subscription's attempts over a period (the cockpit's failures and deliveries of 24 hours);
# also what a subscription's cascade uses. The runner writes a row per attempt: no more indexes
# than the queries need (metrics add one on `at`, construction.sync.metrics).
SUBSCRIPTION_INDEX = "construction_sync_outbox_attempt_subscription_at_idx"
# Single-column indexes of earlier versions (an upgrade drops them).
DROPPED_INDEXES = ["construction_sync_outbox_attempt__subscription_id_index",
                   "construction_sync_outbox_attempt__company_id_index"]


# Foreign keys of earlier versions on the columns that copy the message's (see _CopiedMany2one).
DROPPED_FOREIGN_KEYS = ["construction_sync_outbox_attempt_subscription_id_fkey",
                        "construction_sync_outbox_attempt_company_id_fkey"]


class _CopiedMany2one(fields.Many2one):
    """A Many2one whose column copies its row's message's (written by the runner from the message
    row it claimed), without a foreign key of its own: the message's keys already hold it (a
    subscription's deletion cascades to its messages, then to their log), and each key PostgreSQL
    checks costs every delivery a lookup of the referenced row (two of them were nearly half of
    what logging an attempt cost the database)."""

    def update_db_foreign_key(self, model, column):
        return


def _header_lines(headers):
    """Headers as an HTTP request shows them, sorted: json.dumps with indent (the former format)
    runs json's pure-Python encoder, 30 us a row, the most costly step of logging a delivery."""
    return "\n".join("%s: %s" % item for item in sorted(headers.items()))


class ConstructionSyncOutboxAttempt(models.Model):
    """The delivery log: one row per HTTP attempt of an outbound message (request headers,
    status, latency, an excerpt of the answer). Written by the runner; nobody edits it."""

    _name = "construction.sync.outbox.attempt"
    _description = "Outbound Delivery Attempt"
    _order = "at desc, id desc"
    _log_access = False

    message_id = fields.Many2one("construction.sync.outbox", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    subscription_id = _CopiedMany2one("construction.sync.subscription", required=True, readonly=True)
    company_id = _CopiedMany2one("res.company", required=True, readonly=True)
    at = fields.Datetime(required=True, readonly=True)
    attempt = fields.Integer(
        readonly=True, help="1 for the first attempt of the message (since its last retry or replay).")
    success = fields.Boolean(readonly=True)
    status = fields.Integer(readonly=True, help="HTTP status (0: no answer).")
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True)
    request_headers = fields.Text(readonly=True, help="The request's headers as sent, one per line.")
    response_excerpt = fields.Text(readonly=True)
    error = fields.Text(readonly=True)

    def init(self):
        for name in DROPPED_FOREIGN_KEYS:
            self.env.cr.execute(SQL("ALTER TABLE construction_sync_outbox_attempt DROP CONSTRAINT IF EXISTS %s",
                                    SQL.identifier(name)))
        for name in DROPPED_INDEXES:
            self.env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
        self.env.cr.execute(SQL("CREATE INDEX IF NOT EXISTS %s ON construction_sync_outbox_attempt"
                                " (subscription_id, at)", SQL.identifier(SUBSCRIPTION_INDEX)))

    @api.model
    def _row(self, message_id, subscription_id, company_id, attempt, result, at):
        return (message_id, subscription_id, company_id, at, attempt, result.success, result.status,
                result.latency_ms, _header_lines(result.request_headers), result.excerpt,
                result.error)

    @api.model
    def _insert(self, rows):
        """Writes the log rows (see _row) in one statement: the runner logs every attempt."""
        if not rows:
            return
        self.env.cr.execute(
            """
            INSERT INTO construction_sync_outbox_attempt
                   (message_id, subscription_id, company_id, at, attempt, success, status, latency_ms,
                    request_headers, response_excerpt, error)
            SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::timestamp[], %s::int[], %s::bool[],
                                 %s::int[], %s::int[], %s::text[], %s::text[], %s::text[])
            """,
            [list(column) for column in zip(*rows)],
        )
        self.invalidate_model()
        self.env["construction.sync.outbox"].invalidate_model(["attempt_ids"])

    def write(self, vals):
        raise UserError(_("The delivery log is append-only."))
