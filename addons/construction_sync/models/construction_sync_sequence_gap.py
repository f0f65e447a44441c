from odoo import _, api, fields, models

from ..sync.reconcile import describe_range


class ConstructionSyncSequenceGap(models.Model):
    """Envelope sequence numbers a system skipped and that did not arrive within its grace period
    (construction.sync.reconcile._check_sequences): events probably lost at the source."""

    _name = "construction.sync.sequence.gap"
    _inherit = ["mail.thread", "mail.activity.mixin"]
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

    def _alert(self):
        """An open gap is a to-do for the integration managers; see _fill."""
        for gap in self:
            self.env["construction.sync.reconcile"]._alert_managers(
                gap, _("Sequence gap: %s", gap.system_id.name),
                _("%(system)s numbered events %(missing)s that never arrived (noticed %(at)s UTC): they were "
                  "probably lost at the source; ask its team to send them again.",
                  system=gap.system_id.name, missing=gap.missing, at=gap.noticed_at))

    def _fill(self, when):
        self.sudo().write({"state": "filled", "filled_at": when})
        self.env["construction.sync.reconcile"]._close_alerts(self, _("The missing events arrived."))

    def action_ignore(self):
        self.sudo().write({"state": "ignored"})
        self.env["construction.sync.reconcile"]._close_alerts(self, _("Ignored by %s.", self.env.user.name))
        return True
