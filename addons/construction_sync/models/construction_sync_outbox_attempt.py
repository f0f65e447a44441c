import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionSyncOutboxAttempt(models.Model):
    """The delivery log: one row per HTTP attempt of an outbound message (request headers,
    status, latency, an excerpt of the answer). Written by the runner; nobody edits it."""

    _name = "construction.sync.outbox.attempt"
    _description = "Outbound Delivery Attempt"
    _order = "at desc, id desc"
    _log_access = False

    message_id = fields.Many2one("construction.sync.outbox", required=True, readonly=True, index=True,
                                 ondelete="cascade")
    subscription_id = fields.Many2one("construction.sync.subscription", required=True, readonly=True, index=True,
                                      ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    at = fields.Datetime(required=True, readonly=True)
    attempt = fields.Integer(
        readonly=True, help="1 for the first attempt of the message (since its last retry or replay).")
    success = fields.Boolean(readonly=True)
    status = fields.Integer(readonly=True, help="HTTP status (0: no answer).")
    latency_ms = fields.Integer(string="Latency (ms)", readonly=True)
    request_headers = fields.Text(readonly=True)
    response_excerpt = fields.Text(readonly=True)
    error = fields.Text(readonly=True)

    @api.model
    def _row(self, message_id, subscription_id, company_id, attempt, result, at):
        return (message_id, subscription_id, company_id, at, attempt, result.success, result.status,
                result.latency_ms, json.dumps(result.request_headers, indent=1, sort_keys=True), result.excerpt,
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
