from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import Command, _, api, fields, models
from odoo.tools import format_amount

from .construction_rental_line import company_tz, format_local, to_local

MOVE_TYPES = {("out", 1): "out_invoice", ("out", -1): "out_refund", ("in", 1): "in_invoice", ("in", -1): "in_refund"}


class ConstructionRentalBilling(models.Model):
    """What one billing run billed for one rental line from period_start to period_end: its
    billing lines (construction.rental.billing.line), one invoice line each on a customer invoice
    or vendor bill, or together one analytic cost line.

    Billing is cumulative in quantities: a run bills, per time component of the line (time on
    rent, each pause, engine hours, or each unit of the cheapest split), the difference between
    its quantity at period_end and the quantities billed before, and the charges dated before
    period_end not billed yet (construction.rental.line._unbilled). A run therefore bills each
    period exactly once whatever its length, re-running bills nothing (the unique (line,
    period_end) constraint guards concurrent runs), and a late downtime or transfer that lowers
    what was due turns into credit lines on the next run. Deleting a draft invoice deletes its
    billing lines, so the next run bills them again."""

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
    billing_line_ids = fields.One2many("construction.rental.billing.line", "billing_id", string="Lines")
    time_delta = fields.Monetary(string="Time Billed", compute="_compute_amounts", store=True,
                                 help="Time on rent, pauses and engine hours billed by this run.")
    charge_amount = fields.Monetary(string="Charges Billed", compute="_compute_amounts", store=True)
    amount = fields.Monetary(compute="_compute_amounts", store=True)
    charge_ids = fields.One2many("construction.rental.charge", "billing_id")
    move_id = fields.Many2one("account.move", string="Journal Entry", readonly=True, index="btree_not_null",
                              ondelete="set null")
    analytic_line_id = fields.Many2one("account.analytic.line", readonly=True, index="btree_not_null",
                                       ondelete="cascade")

    _sql_constraints = [
        ("period_uniq", "unique(line_id, period_end)", "This rental line was already billed up to this moment."),
    ]

    @api.depends("line_id.display_name", "period_end")
    def _compute_display_name(self):
        # "RNT/2026/00005 Bobcat T76 to 2026-11-01 00:00 UTC": what a breadcrumb or a link shows.
        for billing in self:
            line = billing.line_id
            if line and billing.period_end:
                billing.display_name = "%s %s" % (
                    line.display_name, _("to %(end)s", end=format_local(billing.period_end, line.company_id)))
            else:
                billing.display_name = line.display_name or ""

    @api.depends("billing_line_ids.amount", "billing_line_ids.charge_id")
    def _compute_amounts(self):
        for billing in self:
            charges = billing.billing_line_ids.filtered("charge_id")
            billing.charge_amount = sum(charges.mapped("amount"))
            billing.time_delta = sum((billing.billing_line_ids - charges).mapped("amount"))
            billing.amount = billing.time_delta + billing.charge_amount

    @api.model
    def _default_period_end(self, company=None):
        """Monthly by default: everything before the first of the current month, 00:00 in the
        company's time zone (its contact's, UTC without one), as the UTC moment Odoo stores."""
        company = company or self.env.company
        today = to_local(fields.Datetime.now(), company).date()
        return self._local_moment(today.replace(day=1), 0.0, company)

    @api.model
    def _local_moment(self, day, hours, company):
        """`hours` (0 to 24) into `day` in the company's time zone, as the naive UTC moment Odoo stores."""
        local = datetime.combine(day, time.min) + timedelta(hours=hours)
        return company_tz(company).localize(local).astimezone(pytz.utc).replace(tzinfo=None)

    @api.model
    def _cron_bill(self):
        # Each company to the 1st 00:00 of its own time zone. The cron runs on the 1st at 12:00
        # UTC, when the 1st has begun everywhere from UTC-12 to UTC+14.
        lines = self.env["construction.rental.line"].search([("state", "in", ("dispatched", "returned"))])
        for company in lines.company_id:
            self.with_company(company)._run(self._default_period_end(company), company=company)

    @api.model
    def _run(self, period_end, lines=None, company=None):
        """Bills every dispatched, returned (or reopened) line up to `period_end` (exclusive), or
        those of `lines`, or those of `company`, and returns the billings created. Lines already
        billed past `period_end` are skipped: billing an earlier moment after a later one would
        credit time that is really due. A line with nobody to bill is left for the next run with a
        note in its chatter, so one incomplete contract never stops the company's billing."""
        domain = [("state", "in", ("dispatched", "returned")), ("dispatched_at", "<", period_end)]
        if company:
            domain.append(("company_id", "=", company.id))
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
            billing_lines = line._unbilled(period_end)
            # Time that nets to nothing (on rent exactly as long as paused) waits for the next
            # run, which bills those quantities with whatever follows: no invoice of 0.00.
            if not any(vals.get("charge_id") for vals in billing_lines) and line.currency_id.is_zero(
                    sum(vals["amount"] for vals in billing_lines)):
                continue
            if line.direction != "internal" and not line.partner_id:
                line.message_post(body=_("Not billed up to %(end)s: this rental has no %(who)s.",
                                         end=format_local(period_end, line.company_id),
                                         who=_("customer") if line.direction == "out" else _("vendor")))
                continue
            values.append({
                "line_id": line.id, "period_start": line.billed_until or line.dispatched_at, "period_end": period_end,
                "billing_line_ids": [Command.create(dict(vals, sequence=i)) for i, vals in enumerate(billing_lines)],
            })
        billings = self.create(values)
        for billing in billings:
            billing.billing_line_ids.charge_id.billing_id = billing
        billings._post_to_accounting()
        # A returned line whose whole time and every charge is billed is done.
        for line in lines.filtered(lambda rental: rental.state == "returned" and rental.returned_at <= period_end):
            if not line.charge_ids.filtered(lambda c: not c.billing_id) and (
                    line.partner_id or line.direction == "internal"):
                line.state = "invoiced"
        return billings

    def _label(self):
        """One line of text for an analytic cost line: the rental and its billed quantities."""
        self.ensure_one()
        line = self.line_id
        parts = ["%s %s" % (line.name, line.equipment_id.name),
                 _("to %(end)s", end=format_local(self.period_end, line.company_id))]
        parts.extend("%s %s x %s" % (line._format_quantity(bl.quantity), bl.uom_id.name,
                                     format_amount(self.env, bl.price_unit, line.currency_id))
                     for bl in self.billing_line_ids)
        return " / ".join(parts)

    def _taxes(self, product):
        """The taxes of an invoice line of this billing. Rented out: the project's billing taxes
        when the contract names some (construction_base's _construction_sale_taxes, mapped by the
        customer's fiscal position), otherwise the product's customer taxes mapped by the
        customer's fiscal position. Rented in: the product's vendor taxes mapped by the vendor's."""
        self.ensure_one()
        line = self.line_id
        project, partner, company = line.project_id, line.partner_id, line.company_id
        project_taxes = project["construction_tax_ids"] if "construction_tax_ids" in project._fields else None
        if line.direction == "out" and project_taxes and hasattr(project, "_construction_sale_taxes"):
            return project.with_company(company)._construction_sale_taxes(partner)
        taxes = product.taxes_id if line.direction == "out" else product.supplier_taxes_id
        taxes = taxes._filter_taxes_by_company(company)
        fiscal_position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        return fiscal_position.map_tax(taxes) if fiscal_position else taxes

    def _post_to_accounting(self):
        """Customer invoices and vendor bills (draft, one per partner and project, a refund when
        the corrections outweigh the charges), a section per rental line and an invoice line per
        billing line: its quantity in its unit at its rate, so quantity x price = subtotal; and
        analytic cost lines for internal charges."""
        groups = defaultdict(lambda: self.browse())
        for billing in self:
            line = billing.line_id
            if line.direction == "internal":
                billing._post_internal_cost()
                continue
            groups[(line.direction, line.partner_id, line.project_id, line.company_id)] |= billing
        for (direction, partner, project, company), billings in groups.items():
            sign = 1 if sum(billings.mapped("amount")) >= 0 else -1
            period_end = billings[0].period_end
            commands, billing_lines = [], self.env["construction.rental.billing.line"]
            # Machines in the order they went out, so a transfer or rate change reads chronologically.
            for billing in billings.sorted(lambda b: (b.line_id.dispatched_at, b.line_id.id)):
                line = billing.line_id
                commands.append(Command.create({
                    "display_type": "line_section",
                    "name": _("%(equipment)s %(rental)s on %(project)s", equipment=line.equipment_id.name,
                              rental=line.name, project=project.name),
                }))
                distribution = line.cost_code_id._analytic_distribution(project)
                for billing_line in billing.billing_line_ids.sorted("sequence"):
                    commands.append(Command.create({
                        "display_type": "product",
                        "product_id": billing_line.product_id.id,
                        "product_uom_id": billing_line.uom_id.id,
                        "name": billing_line.name,
                        # A refund shows the credits as positive quantities; the rate stays the rate.
                        "quantity": sign * billing_line.quantity,
                        "price_unit": billing_line.price_unit,
                        "tax_ids": [Command.set(billing._taxes(billing_line.product_id).ids)],
                        "analytic_distribution": distribution,
                    }))
                    billing_lines |= billing_line
            move = self.env["account.move"].with_company(company).create({
                "move_type": MOVE_TYPES[(direction, sign)],
                "partner_id": partner.id,
                # The last day of the period in the company's time zone.
                "invoice_date": to_local(period_end - timedelta(seconds=1), company).date(),
                "construction_project_id": project.id,
                "ref": _("Equipment rental to %(end)s", end=format_local(period_end, company)),
                "invoice_line_ids": commands,
            })
            billings.move_id = move
            if direction == "out":
                self.env["construction.sync.outbox"]._publish("rental.invoiced", billings)
            products = move.invoice_line_ids.filtered(lambda ml: ml.display_type == "product").sorted("id")
            for billing_line, move_line in zip(billing_lines, products):
                billing_line.move_line_id = move_line

    def _post_internal_cost(self):
        self.ensure_one()
        line = self.line_id
        account = line.project_id._construction_analytic_account()
        values = {
            "name": self._label(),
            "date": to_local(self.period_end - timedelta(seconds=1), line.company_id).date(),
            "amount": -self.amount,
            "account_id": account.id,
            "company_id": line.company_id.id,
        }
        if line.cost_code_id:
            column = self.env["construction.cost.code"]._plan()._column_name()
            values[column] = line.cost_code_id.analytic_account_id.id
        self.analytic_line_id = self.env["account.analytic.line"].create(values)
