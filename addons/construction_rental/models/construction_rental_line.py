import math
from collections import namedtuple

import pytz

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero, float_round

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


# The invoice unit of each basis (uom.uom xml ids): what a customer reads beside the quantity.
UNIT_UOM = {
    "hour": "uom.product_uom_hour",
    "day": "uom.product_uom_day",
    "week": "construction_rental.uom_rental_week",
    "month": "construction_rental.uom_rental_month",
}
# The fields whose change re-prices a rental: changed from a moment on by splitting the line
# (action_change_rates, the rental.rate_changed event), never in place once billed.
RATE_FIELDS = ("rate_basis", "rate_hour", "rate_day", "rate_week", "rate_month", "fuel_rate")
RATE_FIELDS_SET = frozenset(RATE_FIELDS)

# One cumulative part of a line's time charge (see ConstructionRentalLine._time_components).
TimeComponent = namedtuple("TimeComponent", "kind unit quantity rate start end downtimes")


def cheapest_units(days, rate_day, rate_week, rate_month, digits=None):
    """{unit: quantity} of the cheapest charge for `days` (fractional) of rental with the usual
    rental caps: days are charged until they cost more than a week, weeks until they cost more
    than a month. Whole months and weeks; the smallest unit with a rate is prorated, rounded
    half-up to `digits` decimals when given (the invoice's quantity precision). A basis without a
    rate (0) is left out."""
    units = [(unit, length, rate) for unit, length, rate in
             (("day", 1, rate_day), ("week", 7, rate_week), ("month", 30, rate_month)) if rate]

    def split(d, level):
        unit, length, rate = units[level]
        if level == 0:
            quantity = d / length
            if digits is not None:
                quantity = float_round(quantity, precision_digits=digits)
            return {unit: quantity}, quantity * rate
        # Rounded before flooring so 13.999999999 days (float noise) are 2 weeks, not 1.
        whole = math.floor(float_round(d / length, precision_digits=9))
        rest, rest_cost = split(d - whole * length, level - 1)
        if rest_cost > rate:
            return {unit: whole + 1}, (whole + 1) * rate
        return {unit: whole, **rest}, whole * rate + rest_cost

    return split(days, len(units) - 1)[0] if units else {}


def cheapest_cost(days, rate_day, rate_week, rate_month):
    """The cheapest charge for `days` of rental (cheapest_units, unrounded)."""
    rates = {"day": rate_day, "week": rate_week, "month": rate_month}
    return sum(quantity * rates[unit] for unit, quantity in
               cheapest_units(days, rate_day, rate_week, rate_month).items())


def company_tz(company):
    """The company's time zone: its contact's (Settings > Companies, or the company's contact),
    UTC when it has none. Billing periods end at midnight there and invoices show moments there."""
    try:
        return pytz.timezone(company.partner_id.tz or "UTC")
    except pytz.UnknownTimeZoneError:
        return pytz.utc


def to_local(moment, company):
    """The naive UTC `moment` Odoo stores, as an aware datetime in the company's time zone."""
    return pytz.utc.localize(moment).astimezone(company_tz(company))


def format_local(moment, company):
    """A moment as an invoice shows it: company time with its zone's abbreviation (CST, CDT, UTC)."""
    return to_local(moment, company).strftime("%Y-%m-%d %H:%M %Z")


class ConstructionRentalLine(models.Model):
    """One machine on one project for one contract: rented out to a customer, rented in from a
    vendor, or an owned machine charged to the project at its ownership cost.

    Billing is cumulative in quantities: the time on rent from dispatch up to a moment, each
    pause and the engine hours are quantities in the basis's unit (_time_components), each rounded
    half-up to the invoice's quantity precision (decimal precision "Product Unit of Measure", 2 by
    default: 0.01 day is 14.4 minutes), and each billing run bills the difference with the
    quantities billed before (construction.rental.billing). An invoice line's amount is its shown
    quantity times its rate, rounded half-up to the cent, so a customer can check every line with
    a calculator; splitting a rental into periods never changes the quantities billed, re-running
    bills nothing, and a late fact (a downtime reported after the month was billed) becomes a
    correction line on the next run.

    Partial days are prorated: a day is 24 hours counted from the dispatch time, not a calendar
    day, so a machine out from 15:00 to 09:00 the next day bills 0.75 day. Calendar days would bill
    that as two days and make the charge depend on the site's time zone."""

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
                line.unbilled_amount = sum(values["amount"] for values in line._unbilled(now))
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

    def write(self, vals):
        if RATE_FIELDS_SET & set(vals):
            for line in self.filtered("billing_ids"):
                if line._rate_differences(vals):
                    raise UserError(_(
                        "%(line)s has been billed at its rates: use Change Rate to change them from a moment "
                        "on (the line is split there, so billed time keeps the price it was billed at).",
                        line=line.display_name))
        return super().write(vals)

    def _rate_differences(self, values):
        """The rate fields of `values` whose value differs from this line's."""
        self.ensure_one()
        return [
            field for field in RATE_FIELDS if field in values and (
                values[field] != self[field] if field == "rate_basis"
                else self.currency_id.compare_amounts(values[field] or 0.0, self[field]) != 0
            )
        ]

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
        """Closes this line at `at` and opens its successor from the same moment with `values`
        changed (another project for a transfer, other rates for a rate change). Billing periods
        are half-open [start, end), so the two lines never bill the same second and leave none
        unbilled. A returned line (a rate change arriving after the return) splits the same way:
        the successor keeps the return. Usage and downtime reported from `at` on (facts that
        arrived before the split) move to the successor, the line that covered their moment."""
        self.ensure_one()
        if self.state not in ("dispatched", "returned") or self.transferred_to_id:
            raise UserError(_(
                "%(line)s is %(state)s: only a rental on rent, or returned and not moved or re-priced since, can be "
                "transferred or re-priced.", line=self.display_name, state=self._state_label().lower()))
        if at <= self.dispatched_at:
            raise UserError(_(
                "%(line)s cannot change at %(at)s UTC: it was dispatched at %(dispatched)s UTC.",
                line=self.display_name, at=at, dispatched=self.dispatched_at))
        if self.returned_at and at >= self.returned_at:
            raise UserError(_(
                "%(line)s cannot change at %(at)s UTC: it came back at %(returned)s UTC.",
                line=self.display_name, at=at, returned=self.returned_at))
        successor = self.copy({
            "state": self.state, "dispatched_at": at, "returned_at": self.returned_at, "transferred_from_id": self.id,
            "partner_id": self.partner_id.id, **values,
        })
        self.write({"state": "returned", "returned_at": at, "transferred_to_id": successor.id})
        self.usage_ids.filtered(lambda usage: usage.reported_at >= at).write({"line_id": successor.id})
        self.downtime_ids.filtered(lambda downtime: downtime.start >= at).write({"line_id": successor.id})
        return successor

    def action_transfer(self, project, at, cost_code=None):
        """Moves the machine to `project` at `at`; the cost code stays when the new project may use it."""
        self.ensure_one()
        self._require_state("dispatched", _("only a dispatched rental can be transferred."))
        if cost_code is None:
            available = self.env["construction.cost.code"]._available_for(project)
            cost_code = self.cost_code_id if self.cost_code_id in available else self.env["construction.cost.code"]
        values = {"project_id": project.id, "cost_code_id": cost_code.id}
        if self.direction == "out" and project.partner_id:
            values["partner_id"] = project.partner_id.id
        return self._split(at, values)

    def _check_rate_change(self, at):
        """Refuses a rate change at `at` that would re-price billed time or time off rent."""
        self.ensure_one()
        if self.state not in ("dispatched", "returned") or not self.dispatched_at:
            raise UserError(_("%(line)s is %(state)s: only a rental on rent, or returned and not fully billed, can be "
                              "re-priced.", line=self.display_name, state=self._state_label().lower()))
        if at < self.dispatched_at:
            raise UserError(_(
                "%(line)s cannot change rates at %(at)s UTC: it was dispatched later, at %(dispatched)s UTC.",
                line=self.display_name, at=at, dispatched=self.dispatched_at))
        if self.billed_until and at < self.billed_until:
            raise UserError(_(
                "%(line)s is billed up to %(billed)s UTC: new rates can start at that moment or later, not at "
                "%(at)s UTC. Correct a billed period with a credit note.",
                line=self.display_name, billed=self.billed_until, at=at))
        if self.transferred_to_id:
            raise UserError(_(
                "%(line)s was moved or re-priced again at %(next)s UTC: rate changes and transfers must follow each "
                "other; change the rates of the later line.", line=self.display_name, next=self.returned_at))
        if self.returned_at and at >= self.returned_at:
            raise UserError(_(
                "%(line)s cannot change rates at %(at)s UTC: it came back at %(returned)s UTC.",
                line=self.display_name, at=at, returned=self.returned_at))

    def action_change_rates(self, at, rates):
        """New contract rates (`rates`: values of RATE_FIELDS) from `at` on: the same split as a
        transfer, so each line has one price and billed time keeps the price it was billed at.
        From the dispatch itself (nothing billed yet) the line is simply re-priced."""
        self.ensure_one()
        self._check_rate_change(at)
        if at == self.dispatched_at:
            self.write(rates)
            return self
        return self._split(at, rates)

    def action_open_rate_change(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Change Rate"),
            "res_model": "construction.rental.rate.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {"default_line_id": self.id},
        }

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
        """[(start, end, downtimes)]: the downtime intervals that pause billing under this line's
        policy, merged, with the downtimes of each. A downtime belongs to the line it started on;
        one that lasts past a transfer pauses the later lines of the chain too (_time_components
        keeps the part within this line). An open downtime pauses until the end of time."""
        self.ensure_one()
        far = fields.Datetime.to_datetime("9999-12-31 00:00:00")
        intervals = sorted(
            ((downtime.start, downtime.end or far, downtime)
             for downtime in self._transfer_chain().downtime_ids if downtime._pauses(self)),
            key=lambda interval: (interval[0], interval[1], interval[2].id),
        )
        merged = []
        for start, end, downtime in intervals:
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(merged[-1][1], end), merged[-1][2] | downtime)
            else:
                merged.append((start, end, downtime))
        return merged

    def _quantity_digits(self):
        """Decimals of a billed quantity: those of an invoice line's quantity, which Odoo rounds to them."""
        return self.env["decimal.precision"].precision_get("Product Unit of Measure")

    def _time_end(self, until):
        self.ensure_one()
        return min(until, self.returned_at) if self.returned_at else until

    def _billable_hours(self, until):
        """Engine hours reported while on rent, up to `until`. Hours reported after the return
        are kept for the machine's history but are not billed: the customer no longer had it."""
        self.ensure_one()
        end = self._time_end(until)
        return sum(u.hours for u in self.usage_ids
                   if self.dispatched_at and self.dispatched_at <= u.reported_at < end)

    def _linear_components(self, until, unit):
        """{key: TimeComponent} of the time on rent in `unit` from dispatch to `until`: "rent" from
        the dispatch, and "pause:<start>" per pause, negative. Each quantity is rounded half-up on
        its own, so the quantities an invoice shows add up exactly to the quantity billed."""
        self.ensure_one()
        digits = self._quantity_digits()
        start, end = self.dispatched_at, self._time_end(until)
        length = UNIT_SECONDS[unit]
        rate = self["rate_%s" % unit]
        Downtime = self.env["construction.rental.downtime"]

        def quantity(a, b):
            return float_round((b - a).total_seconds() / length, precision_digits=digits)

        components = {"rent": TimeComponent("rent", unit, quantity(start, end), rate, start, end, Downtime)}
        for pause_start, pause_end, downtimes in self._pauses():
            a, b = max(pause_start, start), min(pause_end, end)
            if b > a:
                key = "pause:%s" % fields.Datetime.to_string(pause_start)
                components[key] = TimeComponent("pause", unit, -quantity(a, b), rate, a, b, downtimes)
        return components

    def _time_components(self, until):
        """{key: TimeComponent}: the line's time charge from dispatch up to `until` (capped at the
        return) as cumulative quantities, each rounded half-up to the quantity precision:
        - hour basis, "hours": the engine hours reported while on rent;
        - day, week and month, "rent" and one "pause:<start>" per pause (_linear_components);
        - cheapest, "rent:<unit>": the cheapest split (cheapest_units) of the days on rent less the
          paused days. A cap prices a whole week or month, so there a pause is no line of its
          own: the description lists the pauses deducted from the days.
        A billing run bills each key's difference with what was billed for it before."""
        self.ensure_one()
        end = self._time_end(until)
        if not self.dispatched_at or end <= self.dispatched_at:
            return {}
        if self.rate_basis == "hour":
            hours = float_round(self._billable_hours(end), precision_digits=self._quantity_digits())
            return {"hours": TimeComponent("hours", "hour", hours, self.rate_hour, self.dispatched_at, end,
                                           self.env["construction.rental.downtime"])}
        if self.rate_basis != "cheapest":
            return self._linear_components(end, self.rate_basis)
        linear = self._linear_components(end, "day")
        days = float_round(sum(c.quantity for c in linear.values()), precision_digits=self._quantity_digits())
        rates = {"day": self.rate_day, "week": self.rate_week, "month": self.rate_month}
        split = cheapest_units(days, self.rate_day, self.rate_week, self.rate_month, digits=self._quantity_digits())
        # Every unit with a rate gets its key, zero included: a period that turns days into a
        # week must credit the days billed before.
        return {
            "rent:%s" % unit: TimeComponent("rent", unit, split.get(unit, 0.0), rates[unit], self.dispatched_at, end,
                                            self.env["construction.rental.downtime"])
            for unit in ("month", "week", "day") if rates[unit]
        }

    # ------------------------------------------------------------------------------------------
    # what a billing run bills: quantities x rates, and how an invoice describes them
    # ------------------------------------------------------------------------------------------

    def _unbilled(self, until):
        """Values of the construction.rental.billing.line records a billing run up to `until`
        (exclusive) would create: for each time component, the difference between its quantity at
        `until` and the quantities billed for it before (a component billed before and gone now,
        e.g. a deleted downtime, is reversed), then each charge dated before `until` not billed
        yet. Amounts are the quantity times the rate, rounded half-up to the cent: the figures of
        the invoice line."""
        self.ensure_one()
        digits = self._quantity_digits()
        components = self._time_components(until)
        billed, earlier = {}, {}
        for billed_line in self.billing_ids.billing_line_ids.filtered("key").sorted("id"):
            billed[billed_line.key] = billed.get(billed_line.key, 0.0) + billed_line.quantity
            earlier[billed_line.key] = billed_line
        start = self.billed_until or self.dispatched_at
        values = []
        for key in list(components) + [key for key in billed if key not in components]:
            component = components.get(key)
            quantity = float_round((component.quantity if component else 0.0) - billed.get(key, 0.0),
                                   precision_digits=digits)
            if float_is_zero(quantity, precision_digits=digits):
                continue
            if component:
                kind, unit, rate = component.kind, component.unit, component.rate
                name = self._describe_component(component, start, until, components)
            else:
                kind, unit, rate = earlier[key].kind, earlier[key].unit, earlier[key].price_unit
                name = self.env._("Correction of an earlier line: %(line)s", line=earlier[key].name)
            values.append({
                "kind": kind, "key": key, "unit": unit, "name": name,
                "product_id": self.env.ref("construction_rental.product_rental_time").id,
                "uom_id": self.env.ref(UNIT_UOM[unit]).id,
                "quantity": quantity, "price_unit": rate, "amount": self.currency_id.round(quantity * rate),
            })
        for charge in self.charge_ids.filtered(lambda c: not c.billing_id and c.date < until):
            product = charge._product()
            values.append({
                "kind": charge.kind, "key": False, "charge_id": charge.id, "product_id": product.id,
                "uom_id": product.uom_id.id, "quantity": charge.quantity, "price_unit": charge.price_unit,
                "amount": charge.amount,
                "name": self.env._("%(equipment)s: %(charge)s, %(date)s", equipment=self.equipment_id.name,
                                   charge=charge.name, date=self._local(charge.date)),
            })
        return values

    def _local(self, moment):
        return format_local(moment, self.company_id)

    def _describe_moment(self, moment, is_start):
        """Why a period starts or ends at `moment`: the dispatch, the return, a transfer, a rate change."""
        self.ensure_one()
        if is_start and moment == self.dispatched_at:
            previous = self.transferred_from_id
            if not previous:
                return self.env._("dispatch")
            if previous.project_id != self.project_id:
                return self.env._("transfer from %(project)s", project=previous.project_id.name)
            return self.env._("new rates")
        if not is_start and moment == self.returned_at:
            following = self.transferred_to_id
            if not following:
                return self.env._("return")
            if following.project_id != self.project_id:
                return self.env._("transfer to %(project)s", project=following.project_id.name)
            return self.env._("rate change")
        return self.env._("period start") if is_start else self.env._("period end")

    def _describe_span(self, start, end):
        self.ensure_one()
        return self.env._(
            "%(start)s (%(start_why)s) to %(end)s (%(end_why)s)",
            start=self._local(start), start_why=self._describe_moment(start, True),
            end=self._local(end), end_why=self._describe_moment(end, False),
        )

    def _describe_pause(self, component, end):
        reasons = []
        for downtime in component.downtimes.sorted("start"):
            reason = downtime.reason or self.env._("no reason given")
            reasons.append(self.env._("%(reason)s (breakdown)", reason=reason) if downtime.breakdown else reason)
        args = {"start": self._local(component.start), "end": self._local(component.end), "reasons": ", ".join(reasons)}
        if component.end == end and any(not downtime.end for downtime in component.downtimes):
            return self.env._("Paused from %(start)s, still down at %(end)s: %(reasons)s", **args)
        return self.env._("Paused %(start)s to %(end)s: %(reasons)s", **args)

    def _describe_component(self, component, start, until, components):
        """The invoice line text of a time component billed from `start` (where the last billing
        ended, or the dispatch) to `until`: the machine, the moments in the company's time zone
        and, for a pause, its reasons."""
        self.ensure_one()
        header = "%s %s" % (self.equipment_id.name, self.name)
        end = self._time_end(until)
        if component.kind == "pause":
            return "%s\n%s" % (header, self._describe_pause(component, end))
        if end < start:
            # Billed further than the line now runs (a transfer or return reported late): the credit.
            span = self.env._("Billed to %(billed)s, on rent only to %(end)s (%(end_why)s)", billed=self._local(start),
                              end=self._local(end), end_why=self._describe_moment(end, False))
        elif component.kind == "hours":
            span = self.env._("Engine hours reported %(span)s", span=self._describe_span(start, end))
        else:
            span = self.env._("On rent %(span)s", span=self._describe_span(start, end))
        lines = [header, span]
        if self.rate_basis == "cheapest":
            lines.extend(self._describe_cheapest(until, components))
        return "\n".join(lines)

    def _describe_cheapest(self, until, components):
        """How the cheapest split came about: the days since the dispatch, each pause deducted,
        and the split they add up to (the lines bill its differences with earlier billings)."""
        linear = self._linear_components(until, "day")
        labels = {"month": self.env._("months (30 days)"), "week": self.env._("weeks"), "day": self.env._("days")}
        lines = [self.env._("%(days)s days on rent since the dispatch",
                            days=self._format_quantity(linear["rent"].quantity))]
        for component in linear.values():
            if component.kind == "pause":
                lines.append(self.env._("less %(days)s days paused %(start)s to %(end)s",
                                        days=self._format_quantity(-component.quantity),
                                        start=self._local(component.start), end=self._local(component.end)))
        days = float_round(sum(c.quantity for c in linear.values()), precision_digits=self._quantity_digits())
        split = " + ".join("%s %s" % (self._format_quantity(c.quantity), labels[c.unit])
                           for c in components.values() if c.quantity)
        lines.append(self.env._("= %(days)s days, at the cheapest rates %(split)s",
                                days=self._format_quantity(days), split=split or "0"))
        return lines

    def _format_quantity(self, quantity):
        return "%.*f" % (self._quantity_digits(), quantity)
