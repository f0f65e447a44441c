from odoo import _, api, fields, models


class ConstructionSyncControlTotal(models.Model):
    """What a system says it sent on one day for one event type, beside what Odoo received and
    applied (construction.sync.reconcile._apply_control_totals); a gap is named in one sentence."""

    _name = "construction.sync.control.total"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Reconciliation Control Total"
    _order = "day desc, system_id, event_type"
    _rec_name = "event_type"

    system_id = fields.Many2one("construction.sync.system", required=True, readonly=True, index=True,
                                ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    day = fields.Date(required=True, readonly=True, index=True)
    event_type = fields.Char(required=True, readonly=True)
    reported_at = fields.Datetime(readonly=True)

    sent_count = fields.Integer(readonly=True)
    sent_amount = fields.Monetary(readonly=True)
    odoo_count = fields.Integer(string="Applied in Odoo", readonly=True)
    odoo_amount = fields.Monetary(string="Amount in Odoo", readonly=True)
    amount_compared = fields.Boolean(
        readonly=True, help="The system sent an amount and the event type declares which field is summed.")
    missing_ids = fields.Text(string="Missing in Odoo", readonly=True,
                              help="External ids the system listed that no applied event of the day carries.")
    state = fields.Selection([("match", "Match"), ("gap", "Gap")], compute="_compute_gap", store=True, index=True)
    gap = fields.Char(compute="_compute_gap", store=True)

    _sql_constraints = [
        ("total_uniq", "unique(system_id, day, event_type)", "One control total per system, day and event type."),
    ]

    @api.depends("sent_count", "sent_amount", "odoo_count", "odoo_amount", "amount_compared", "missing_ids")
    def _compute_gap(self):
        for total in self:
            amounts_differ = total.amount_compared and total.currency_id.compare_amounts(
                total.sent_amount, total.odoo_amount) != 0
            if total.sent_count == total.odoo_count and not amounts_differ and not total.missing_ids:
                total.state, total.gap = "match", False
                continue
            total.state = "gap"
            sent = "%s %s" % (total.sent_count, total.event_type)
            has = "%s" % total.odoo_count
            if total.amount_compared:
                sent = _("%(count)s %(type)s totalling %(amount)s", count=total.sent_count, type=total.event_type,
                         amount=total._format(total.sent_amount))
                has = "%s / %s" % (total.odoo_count, total._format(total.odoo_amount))
            missing = (total.missing_ids or "").split()
            more = _(" and %s more", len(missing) - 20) if len(missing) > 20 else ""
            total.gap = _("%(system)s sent %(sent)s on %(day)s; Odoo has %(has)s%(missing)s",
                          system=total.system_id.name, sent=sent, day=total.day, has=has,
                          missing=_(": %s missing", ", ".join(missing[:20]) + more) if missing else "")

    def _format(self, amount):
        # Thin spaces between thousands read in every language; the currency's decimals.
        return ("{:,.%df}" % self.currency_id.decimal_places).format(amount).replace(",", " ")

    def _alert(self):
        """A gap is a to-do for the integration managers (one per gap: a replayed report refreshes
        it); a later report of the same day and type that agrees marks it done."""
        Reconcile = self.env["construction.sync.reconcile"]
        for total in self:
            if total.state == "gap":
                Reconcile._alert_managers(total, _("Control total gap: %s", total.event_type), total.gap)
            else:
                Reconcile._close_alerts(total, _("%(system)s's control total of %(day)s for %(type)s now agrees: "
                                                 "%(count)s events.", system=total.system_id.name, day=total.day,
                                                 type=total.event_type, count=total.odoo_count))
