from odoo import api, fields, models

from ..sync.reconcile import describe_range


class ConstructionSyncSequenceGap(models.Model):
    """Envelope sequence numbers a system skipped and that did not arrive within its grace period
    (construction.sync.reconcile._check_sequences): events probably lost at the source."""

    _name = "construction.sync.sequence.gap"
    _inherit = ["mail.thread"]
    _description = "Sequence Gap"
    _order = "noticed_at desc, id desc"

    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, index=True,
                                ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    first_missing = fields.Integer(required=True, readonly=True)
    last_missing = fields.Integer(required=True, readonly=True)
    missing = fields.Char(string="Missing Numbers", compute="_compute_missing", store=True)
    noticed_at = fields.Datetime(required=True, readonly=True)
    state = fields.Selection([("open", "Open"), ("filled", "Filled"), ("ignored", "Ignored")], default="open",
                             required=True, readonly=True, index=True, tracking=True)
    filled_at = fields.Datetime(readonly=True)

    @api.depends("first_missing", "last_missing")
    def _compute_missing(self):
        for gap in self:
            gap.missing = describe_range(gap.first_missing, gap.last_missing)

    @api.depends("system_id", "missing")
    def _compute_display_name(self):
        for gap in self:
            gap.display_name = "%s #%s" % (gap.system_id.name, gap.missing)

    def action_ignore(self):
        self.sudo().write({"state": "ignored"})
        return True
