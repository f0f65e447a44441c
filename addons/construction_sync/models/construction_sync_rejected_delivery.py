import json

from odoo import api, fields, models


class ConstructionSyncRejectedDelivery(models.Model):
    """Authenticated deliveries the endpoint refused (409 conflicting body, 422 unknown type,
    invalid payload or invalid timestamp, 400 malformed_json for values JSON parsers disagree on
    or that cannot be stored), kept with their body so nothing a system sent is silently lost.
    NUL characters and lone surrogates are kept escaped (\\u0000, \\ud800). Bodies that are not
    JSON at all and unauthenticated requests are never stored."""

    _name = "construction.sync.rejected.delivery"
    _description = "Rejected Delivery"
    _order = "received_at desc, id desc"
    _rec_name = "webhook_id"

    system_id = fields.Many2one(
        "construction.sync.system", required=True, readonly=True, index=True, ondelete="cascade",
    )
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    received_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now, index=True)
    webhook_id = fields.Char(readonly=True)
    delivery_id = fields.Char(readonly=True)
    event_type = fields.Char(readonly=True)
    http_status = fields.Integer(readonly=True)
    error_code = fields.Char(readonly=True, index=True)
    error_message = fields.Text(readonly=True)
    details = fields.Text(readonly=True, help="Field-level problems, JSON.")
    body = fields.Text(readonly=True)
    body_pretty = fields.Text(compute="_compute_body_pretty")

    @api.depends("body")
    def _compute_body_pretty(self):
        for delivery in self:
            try:
                delivery.body_pretty = json.dumps(json.loads(delivery.body), indent=2, ensure_ascii=False)
            except (TypeError, ValueError):
                delivery.body_pretty = delivery.body
