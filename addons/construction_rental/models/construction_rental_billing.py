from collections import defaultdict
from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.tools import float_is_zero

MOVE_TYPES = {("out", 1): "out_invoice", ("out", -1): "out_refund", ("in", 1): "in_invoice", ("in", -1): "in_refund"}


class ConstructionRentalBilling(models.Model):
    """What one billing run billed for one rental line: the time charge for [period_start,
    period_end) and the charges dated before period_end, on one customer invoice line, vendor bill
    line or analytic cost line.

    The time amount is cumulative: `time_amount` is the line's rounded charge from dispatch to
    period_end and this billing bills the difference with the earlier billings. A run therefore
    bills each period exactly once whatever its length, re-running bills nothing (the unique
    (line, period_end) constraint guards concurrent runs), and a late downtime or transfer that
    lowers what was due turns into a credit on the next run. Deleting a draft invoice deletes its
    billings, so the next run bills that time again."""

    _name = "construction.rental.billing"
    _description = "Rental Billing"
    _order = "period_end desc, id desc"

    line_id = fields.Many2one("construction.rental.line", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    currency_id = fields.Many2one(related="line_id.currency_id")
    project_id = fields.Many2one(related="line_id.project_id", store=True)
    equipment_id = fields.Many2one(related="line_id.equipment_id", store=True)
    direction = fields.Selection(related="line_id.direction", store=True)
    period_start = fields.Datetime(required=True)
    period_end = fields.Datetime(required=True, index=True)
    time_amount = fields.Monetary(help="Cumulative time charge of the line from dispatch to the period end.")
    time_delta = fields.Monetary(string="Time Billed", help="Time charge billed by this run.")
    charge_amount = fields.Monetary(string="Charges Billed")
    amount = fields.Monetary(compute="_compute_amount", store=True)
    charge_ids = fields.One2many("construction.rental.charge", "billing_id")
    move_line_id = fields.Many2one("account.move.line", readonly=True, index="btree_not_null", ondelete="cascade")
    move_id = fields.Many2one(related="move_line_id.move_id", store=True)
    analytic_line_id = fields.Many2one("account.analytic.line", readonly=True, index="btree_not_null", ondelete="cascade")

    _sql_constraints = [
        ("period_uniq", "unique(line_id, period_end)", "This rental line was already billed up to this moment."),
    ]

    @api.depends("time_delta", "charge_amount")
    def _compute_amount(self):
        for billing in self:
            billing.amount = billing.time_delta + billing.charge_amount

    @api.model
    def _default_period_end(self):
        """Monthly by default: everything before the first of the current month, 00:00 UTC."""
        today = fields.Date.context_today(self)
        return fields.Datetime.to_datetime(today.replace(day=1))

    @api.model
    def _cron_bill(self):
        self._run(self._default_period_end())

    @api.model
    def _run(self, period_end, lines=None):
        """Bills every dispatched, returned (or reopened) line up to `period_end` (exclusive), or
        those of `lines`, and returns the billings created. Lines already billed past
        `period_end` are skipped: billing an earlier moment after a later one would credit time
        that is really due. A line with nobody to bill is left for the next run with a note in
        its chatter, so one incomplete contract never stops the company's billing."""
        domain = [("state", "in", ("dispatched", "returned")), ("dispatched_at", "<", period_end)]
        if lines is None:
            lines = self.env["construction.rental.line"].search(domain)
        else:
            lines = lines.filtered_domain(domain)
        # Two runs at once (the cron and someone's wizard) read the same billed totals. Locking
        # the lines first makes the second wait, then fail to serialize on the rows the first
        # updated, before it builds any invoice; Odoo retries it on fresh data. (Its update of the
        # lines' billed totals would fail the same way, but only after all the work.)
        if lines:
            self.env.cr.execute("SELECT id FROM construction_rental_line WHERE id = ANY(%s) FOR UPDATE", [lines.ids],
                                log_exceptions=False)
        values = []
        for line in lines:
            if line.billed_until and line.billed_until >= period_end:
                continue
            time_amount, time_delta, charges = line._unbilled(period_end)
            if float_is_zero(time_delta, precision_rounding=line.currency_id.rounding) and not charges:
                continue
            if line.direction != "internal" and not line.partner_id:
                line.message_post(body=_("Not billed up to %(end)s UTC: this rental has no %(who)s.", end=period_end,
                                         who=_("customer") if line.direction == "out" else _("vendor")))
                continue
            values.append({
                "line_id": line.id, "period_start": line.billed_until or line.dispatched_at,
                "period_end": period_end, "time_amount": time_amount, "time_delta": time_delta,
                "charge_amount": sum(charges.mapped("amount")), "charge_ids": [Command.set(charges.ids)],
            })
        billings = self.create(values)
        billings._post_to_accounting()
        # A returned line whose whole time and every charge is billed is done.
        for line in lines.filtered(lambda l: l.state == "returned" and l.returned_at <= period_end):
            if not line.charge_ids.filtered(lambda c: not c.billing_id) and (line.partner_id or line.direction == "internal"):
                line.state = "invoiced"
        return billings

    def _label(self):
        self.ensure_one()
        line = self.line_id
        parts = ["%s %s" % (line.name, line.equipment_id.name)]
        if self.time_delta:
            parts.append(_("%(start)s to %(end)s UTC: %(what)s", start=self.period_start, end=self.period_end,
                           what=line._describe_time(self.period_start, min(self.period_end, line.returned_at or self.period_end))))
        parts.extend(self.charge_ids.mapped("name"))
        return " / ".join(parts)

    def _post_to_accounting(self):
        """Customer invoices and vendor bills (draft, one per partner and project, a refund when
        the corrections outweigh the charges) and analytic cost lines for internal charges."""
        groups = defaultdict(lambda: self.browse())
        for billing in self:
            line = billing.line_id
            if line.direction == "internal":
                billing._post_internal_cost()
                continue
            groups[(line.direction, line.partner_id, line.project_id, line.company_id)] |= billing
        for (direction, partner, project, company), billings in groups.items():
            total = sum(billings.mapped("amount"))
            sign = 1 if total >= 0 else -1
            period_end = billings[0].period_end
            move = self.env["account.move"].with_company(company).create({
                "move_type": MOVE_TYPES[(direction, sign)],
                "partner_id": partner.id,
                "invoice_date": (period_end - timedelta(seconds=1)).date(),
                "construction_project_id": project.id,
                "ref": _("Equipment rental to %s UTC", period_end),
                "invoice_line_ids": [Command.create({
                    "name": billing._label(),
                    "quantity": 1,
                    "price_unit": sign * billing.amount,
                    # Rental is billed without taxes here; the accountant applies the fiscal
                    # position's taxes on the draft, where the tax rules live.
                    "tax_ids": [Command.clear()],
                    "analytic_distribution": billing.line_id.cost_code_id._analytic_distribution(project),
                }) for billing in billings],
            })
            for billing, move_line in zip(billings, move.invoice_line_ids.sorted("id")):
                billing.move_line_id = move_line

    def _post_internal_cost(self):
        self.ensure_one()
        line = self.line_id
        account = line.project_id._construction_analytic_account()
        values = {
            "name": self._label(),
            "date": (self.period_end - timedelta(seconds=1)).date(),
            "amount": -self.amount,
            "account_id": account.id,
            "company_id": line.company_id.id,
        }
        if line.cost_code_id:
            column = self.env["construction.cost.code"]._plan()._column_name()
            values[column] = line.cost_code_id.analytic_account_id.id
        self.analytic_line_id = self.env["account.analytic.line"].create(values)
