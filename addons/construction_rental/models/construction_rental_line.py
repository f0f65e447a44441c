import math

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round

DAY = 86400.0
# Unit lengths of the time-based bases. A rental month is 30 days (not the calendar month) so a
# day costs the same in February and in March and a period billed in two runs costs exactly what
# it costs in one.
UNIT_SECONDS = {"day": DAY, "week": 7 * DAY, "month": 30 * DAY}

DIRECTIONS = [
    ("out", "Rented Out to Customer"),
    ("in", "Rented In from Vendor"),
    ("internal", "Internal Charge to Project"),
]
RATE_BASES = [
    ("hour", "Per Engine Hour"),
    ("day", "Per Day"),
    ("week", "Per Week"),
    ("month", "Per Month (30 days)"),
    ("cheapest", "Cheapest of Day/Week/Month"),
]


def cheapest_cost(days, rate_day, rate_week, rate_month):
    """The cheapest charge for `days` (fractional) of rental with the usual rental caps: days are
    charged until they cost more than a week, weeks until they cost more than a month. The
    smallest unit with a rate is prorated; a basis without a rate (0) is left out. Continuous
    and non-decreasing in `days`, which cumulative billing relies on (construction.rental.billing)."""
    units = [(length, rate) for length, rate in ((1, rate_day), (7, rate_week), (30, rate_month)) if rate]

    def cost(d, level):
        length, rate = units[level]
        if level == 0:
            return d * rate / length
        whole = math.floor(d / length)
        return whole * rate + min(cost(d - whole * length, level - 1), rate)

    return cost(days, len(units) - 1) if units else 0.0


class ConstructionRentalLine(models.Model):
    """One machine on one project for one contract: rented out to a customer, rented in from a
    vendor, or an owned machine charged to the project at its ownership cost.

    Billing is cumulative: the charge for everything billable from dispatch up to a moment is
    computed from the line's terms, its downtime and its usage, rounded to the cent, and each
    billing run bills the difference with what was billed before (construction.rental.billing).
    So splitting a rental into periods never changes its total, re-running bills nothing, and a
    late fact (a downtime reported after the month was billed) becomes a correction on the next run.

    Partial days are prorated to the second: a day is 24 hours counted from the dispatch time,
    not a calendar day, so a machine out from 15:00 to 09:00 the next day bills 0.75 day. Calendar
    days would bill that as two days and make the charge depend on the site's time zone."""

    _name = "construction.rental.line"
    _description = "Equipment Rental Line"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "dispatched_at desc, id desc"
    _check_company_auto = True

    # identity
    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True,
        default=lambda self: self.env["ir.sequence"].next_by_code("construction.rental.line") or _("New"),
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")

    # relations
    equipment_id = fields.Many2one(
        "maintenance.equipment", required=True, index=True, tracking=True, check_company=True, ondelete="restrict",
    )
    project_id = fields.Many2one("project.project", required=True, index=True, tracking=True, ondelete="restrict")
    cost_code_id = fields.Many2one("construction.cost.code", tracking=True, check_company=True, ondelete="restrict")
    direction = fields.Selection(DIRECTIONS, required=True, default="out", tracking=True)
    partner_id = fields.Many2one(
        "res.partner", compute="_compute_partner_id", store=True, readonly=False, tracking=True,
        help="Billed customer when rented out, billing vendor when rented in; none for internal charges.",
    )
    transferred_from_id = fields.Many2one("construction.rental.line", readonly=True, copy=False, index="btree_not_null")
    transferred_to_id = fields.Many2one("construction.rental.line", readonly=True, copy=False)

    # terms
    rate_basis = fields.Selection(RATE_BASES, required=True, default="day", tracking=True)
    rate_hour = fields.Monetary(string="Hourly Rate", tracking=True)
    rate_day = fields.Monetary(string="Daily Rate", tracking=True)
    rate_week = fields.Monetary(string="Weekly Rate", tracking=True)
    rate_month = fields.Monetary(string="Monthly Rate", tracking=True)
    fuel_rate = fields.Monetary(
        string="Fuel Surcharge per Liter", help="Charged on the fuel the telematics report; 0 bills no fuel.",
    )
    downtime_min_hours = fields.Float(
        string="Downtime Pausing Billing From (h)", default=4.0,
        help="Contract policy: a downtime at least this long pauses billing for its whole length; "
        "shorter interruptions are part of normal use. An open downtime (breakdown not yet "
        "repaired) pauses billing until it ends.",
    )

    # state
    state = fields.Selection(
        [("reserved", "Reserved"), ("dispatched", "Dispatched"), ("returned", "Returned"),
         ("invoiced", "Invoiced"), ("cancelled", "Cancelled")],
        required=True, default="reserved", tracking=True, index=True, copy=False,
    )
    expected_dispatch_at = fields.Datetime(tracking=True)
    expected_return_at = fields.Datetime(tracking=True, help="A dispatched line past this moment is overdue.")
    dispatched_at = fields.Datetime(tracking=True, copy=False)
    returned_at = fields.Datetime(tracking=True, copy=False)

    usage_ids = fields.One2many("construction.rental.usage", "line_id", string="Usage")
    downtime_ids = fields.One2many("construction.rental.downtime", "line_id", string="Downtime")
    charge_ids = fields.One2many("construction.rental.charge", "line_id", string="Charges")
    billing_ids = fields.One2many("construction.rental.billing", "line_id", string="Billings")

    # amounts
    billed_until = fields.Datetime(compute="_compute_billed", store=True)
    billed_amount = fields.Monetary(compute="_compute_billed", store=True)
    usage_hours = fields.Float(compute="_compute_usage_hours", store=True, string="Engine Hours")
    unbilled_amount = fields.Monetary(
        compute="_compute_unbilled_amount", help="What a billing run now would bill: time on rent and charges.",
    )

    _sql_constraints = [
        ("name_uniq", "unique(company_id, name)", "A rental reference is unique per company."),
        ("return_after_dispatch", "CHECK(returned_at IS NULL OR dispatched_at IS NULL OR returned_at >= dispatched_at)",
         "A machine cannot come back before it left."),
        ("downtime_min_hours_positive", "CHECK(downtime_min_hours >= 0)", "The downtime threshold cannot be negative."),
    ]

    @api.depends("direction", "project_id", "equipment_id")
    def _compute_partner_id(self):
        for line in self:
            if line.direction == "out":
                line.partner_id = line.partner_id if line.partner_id.customer_rank else line.project_id.partner_id
            elif line.direction == "in":
                line.partner_id = line.partner_id if line.partner_id.supplier_rank else line.equipment_id.partner_id
            else:
                line.partner_id = False

    @api.depends("billing_ids.period_end", "billing_ids.amount")
    def _compute_billed(self):
        for line in self:
            line.billed_until = max(line.billing_ids.mapped("period_end"), default=False)
            line.billed_amount = sum(line.billing_ids.mapped("amount"))

    @api.depends_context("uid")
    def _compute_unbilled_amount(self):
        now = fields.Datetime.now()
        for line in self:
            if line.state in ("dispatched", "returned") and line.dispatched_at:
                _total, time_delta, charges = line._unbilled(now)
                line.unbilled_amount = time_delta + sum(charges.mapped("amount"))
            else:
                line.unbilled_amount = 0.0

    @api.depends("usage_ids.hours")
    def _compute_usage_hours(self):
        for line in self:
            line.usage_hours = sum(line.usage_ids.mapped("hours"))

    @api.onchange("equipment_id", "direction")
    def _onchange_equipment_rates(self):
        for line in self.filtered("equipment_id"):
            line.update(line._equipment_terms(line.equipment_id, line.direction))

    @api.model
    def _equipment_terms(self, equipment, direction):
        """The contract rates a new line takes from the equipment's list rates."""
        if direction == "internal":
            return {"rate_basis": "day", "rate_hour": 0.0, "rate_day": equipment.ownership_cost_rate,
                    "rate_week": 0.0, "rate_month": 0.0}
        return {"rate_hour": equipment.rate_hour, "rate_day": equipment.rate_day,
                "rate_week": equipment.rate_week, "rate_month": equipment.rate_month}

    @api.depends("name", "equipment_id")
    def _compute_display_name(self):
        for line in self:
            line.display_name = "%s %s" % (line.name, line.equipment_id.name) if line.equipment_id else line.name

    # ------------------------------------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------------------------------------

    def _require_state(self, state, rule):
        for line in self:
            if line.state != state:
                raise UserError(_("%(line)s is %(state)s: %(rule)s", line=line.display_name,
                                  state=line._state_label().lower(), rule=rule))

    def action_dispatch(self, at=None):
        at = at or fields.Datetime.now()
        self._require_state("reserved", _("only a reserved rental can be dispatched."))
        for line in self:
            line.write({"state": "dispatched", "dispatched_at": at})
        return True

    def action_return(self, at=None):
        at = at or fields.Datetime.now()
        self._require_state("dispatched", _("only a dispatched rental can be returned."))
        for line in self:
            if at < line.dispatched_at:
                raise UserError(_(
                    "%(line)s cannot be returned at %(at)s UTC: it was dispatched later, at %(dispatched)s UTC.",
                    line=line.display_name, at=at, dispatched=line.dispatched_at))
            line.write({"state": "returned", "returned_at": at})
        return True

    def action_cancel(self):
        self._require_state("reserved", _("only a reservation can be cancelled; return the machine instead."))
        self.state = "cancelled"
        return True

    def _state_label(self):
        return dict(self._fields["state"]._description_selection(self.env))[self.state]

    def _split(self, at, values):
        """Closes this dispatched line at `at` and opens its successor from the same moment with
        `values` changed (another project for a transfer, other rates for a rate change). Billing
        periods are half-open [start, end), so the two lines never bill the same second and
        leave none unbilled."""
        self.ensure_one()
        self._require_state("dispatched", _("only a dispatched rental can be transferred or re-priced."))
        if at <= self.dispatched_at:
            raise UserError(_(
                "%(line)s cannot change at %(at)s UTC: it was dispatched at %(dispatched)s UTC.",
                line=self.display_name, at=at, dispatched=self.dispatched_at))
        successor = self.copy({
            "state": "dispatched", "dispatched_at": at, "transferred_from_id": self.id,
            "partner_id": self.partner_id.id, **values,
        })
        self.write({"state": "returned", "returned_at": at, "transferred_to_id": successor.id})
        return successor

    def action_transfer(self, project, at, cost_code=None):
        """Moves the machine to `project` at `at`; the cost code stays when the new project may use it."""
        self.ensure_one()
        if cost_code is None:
            available = self.env["construction.cost.code"]._available_for(project)
            cost_code = self.cost_code_id if self.cost_code_id in available else self.env["construction.cost.code"]
        values = {"project_id": project.id, "cost_code_id": cost_code.id}
        if self.direction == "out" and project.partner_id:
            values["partner_id"] = project.partner_id.id
        return self._split(at, values)

    def action_change_rates(self, at, rates):
        """New contract rates from `at` on: the same split as a transfer, so each line has one price."""
        return self._split(at, rates)

    def _chain_line_at(self, at):
        """The line of this rental's transfer chain that covers `at` (the last one for moments
        after the chain's end, the first one for moments before it started)."""
        self.ensure_one()
        line = self
        while line.transferred_from_id and line.dispatched_at and at < line.dispatched_at:
            line = line.transferred_from_id
        while line.transferred_to_id and at >= line.transferred_to_id.dispatched_at:
            line = line.transferred_to_id
        return line

    def _transfer_chain(self):
        """Every line of this rental's transfer chain (transfers and rate changes), first to last."""
        self.ensure_one()
        first = self
        while first.transferred_from_id:
            first = first.transferred_from_id
        chain = first
        while chain[-1].transferred_to_id:
            chain |= chain[-1].transferred_to_id
        return chain

    def _reopen_for_billing(self):
        """A fact arriving after the final billing (a late downtime, a damage charge) leaves
        something to bill: the line goes back to returned until the next run settles it."""
        self.filtered(lambda line: line.state == "invoiced").write({"state": "returned"})

    # ------------------------------------------------------------------------------------------
    # charge computation
    # ------------------------------------------------------------------------------------------

    def _pauses(self):
        """The downtime intervals that pause billing under this line's policy, merged. A
        downtime belongs to the line it started on; one that lasts past a transfer pauses the
        later lines of the chain too (_billable_seconds keeps the part within this line)."""
        self.ensure_one()
        far = fields.Datetime.to_datetime("9999-12-31 00:00:00")
        intervals = sorted(
            (downtime.start, downtime.end or far)
            for downtime in self._transfer_chain().downtime_ids
            if downtime._pauses(self)
        )
        merged = []
        for start, end in intervals:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end))
            else:
                merged.append((start, end))
        return merged

    def _billable_seconds(self, until):
        """Seconds on rent from dispatch up to `until` (capped at the return), downtime pauses excluded."""
        self.ensure_one()
        if not self.dispatched_at:
            return 0.0
        end = min(until, self.returned_at) if self.returned_at else until
        if end <= self.dispatched_at:
            return 0.0
        seconds = (end - self.dispatched_at).total_seconds()
        for start, stop in self._pauses():
            overlap = (min(stop, end) - max(start, self.dispatched_at)).total_seconds()
            seconds -= max(overlap, 0.0)
        return seconds

    def _billable_hours(self, until):
        """Engine hours reported while on rent, up to `until`. Hours reported after the return
        are kept for the machine's history but are not billed: the customer no longer had it."""
        self.ensure_one()
        end = min(until, self.returned_at) if self.returned_at else until
        return sum(u.hours for u in self.usage_ids
                   if self.dispatched_at and self.dispatched_at <= u.reported_at < end)

    def _time_amount(self, until):
        """The rounded charge for time on rent from dispatch to `until`."""
        self.ensure_one()
        if self.rate_basis == "hour":
            amount = self.rate_hour * self._billable_hours(until)
        elif self.rate_basis == "cheapest":
            amount = cheapest_cost(self._billable_seconds(until) / DAY, self.rate_day, self.rate_week, self.rate_month)
        else:
            # Multiply before dividing: rate * seconds is exact for whole cents and seconds.
            amount = self["rate_%s" % self.rate_basis] * self._billable_seconds(until) / UNIT_SECONDS[self.rate_basis]
        return float_round(amount, precision_rounding=self.currency_id.rounding)

    def _describe_time(self, start, until):
        self.ensure_one()
        if self.rate_basis == "hour":
            return _("%(hours)s engine hours", hours="%g" % (self._billable_hours(until) - self._billable_hours(start)))
        days = (self._billable_seconds(until) - self._billable_seconds(start)) / DAY
        return _("%(days)s days on rent", days="%.4g" % days)

    def _unbilled(self, until):
        """(cumulative time amount at `until`, time not billed yet, charges not billed yet)."""
        self.ensure_one()
        end = min(until, self.returned_at) if self.returned_at else until
        time_amount = self._time_amount(end)
        time_delta = self.currency_id.round(time_amount - sum(self.billing_ids.mapped("time_delta")))
        charges = self.charge_ids.filtered(lambda c: not c.billing_id and c.date < until)
        return time_amount, time_delta, charges
