from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import format_date


class ConstructionPayApplication(models.Model):
    """A progress billing in the AIA G702/G703 shape: what the contractor has earned on each
    line of the schedule of values, what is retained, and what is due now.

    Amounts are rounded to the company currency per line (each line's retainage, each line's
    billing this period) and the document totals are sums of rounded lines, so the G702 summary,
    the G703 columns and the invoice agree to the cent.

    The "previous" figures (column D, stored materials and certificates of the earlier
    application) are copied from the project's latest earlier non-cancelled application while
    this one is a draft, and frozen once it is certified: a certified application never changes
    because of another document. That is why an application can only be certified after every
    earlier one, and only the latest one can be cancelled.

    Its invoice is dated on the certification date (or the invoice date the accountant picks)
    while the document keeps its period (period_end); it bills the project's taxes on top of the
    current payment due, and is a credit note when that comes to zero or less. Reversing or
    cancelling the invoice gives the application back to certified."""

    _name = "construction.pay.application"
    _description = "Pay Application"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "project_id, number desc, id desc"
    _check_company_auto = True

    # identity
    name = fields.Char(compute="_compute_name", store=True)
    project_id = fields.Many2one(
        "project.project", required=True, index=True, check_company=True, tracking=True,
        readonly=False, ondelete="restrict",
    )
    number = fields.Integer(
        string="Application No.", required=True, copy=False, tracking=True,
        help="Numbered per project, in billing order; the next free number by default.",
    )
    period_end = fields.Date(string="Period To", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", string="Owner", compute="_compute_partner_id", store=True, readonly=False,
        precompute=True, check_company=True, tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, readonly=False, precompute=True,
        required=True, index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    line_ids = fields.One2many("construction.pay.application.line", "application_id", string="Schedule of Values",
                               copy=True)
    invoice_id = fields.Many2one(
        "account.move", string="Invoice", readonly=True, copy=False, check_company=True,
        help="The posted invoice (or credit note) of this application; empty again once it is reversed or cancelled.",
    )
    invoice_ids = fields.One2many(
        "account.move", "construction_pay_application_id", string="Invoices and Credit Notes", readonly=True,
        groups="account.group_account_invoice",
    )

    # dates
    certified_date = fields.Date(
        readonly=True, copy=False, tracking=True,
        help="When the application was certified: the date of its invoice unless another is picked.",
    )
    invoice_date = fields.Date(
        copy=False, tracking=True,
        help="Date of the invoice (or credit note): the certification date when left empty. It must fall in an "
        "open accounting period; the period billed stays the application's Period To.",
    )

    # state
    state = fields.Selection(
        [("draft", "Draft"), ("certified", "Certified"), ("invoiced", "Invoiced"), ("cancelled", "Cancelled")],
        default="draft", required=True, copy=False, tracking=True, index=True,
    )

    # retention rates
    retention_percent = fields.Float(
        string="Retainage on Work %", digits=(5, 2), compute="_compute_retention_percent", store=True,
        readonly=False, precompute=True, tracking=True,
    )
    materials_retention_percent = fields.Float(
        string="Retainage on Stored Materials %", digits=(5, 2), compute="_compute_materials_retention_percent",
        store=True, readonly=False, precompute=True, tracking=True,
    )

    # carried forward from the previous application (see the class docstring)
    original_contract_sum = fields.Monetary(readonly=True, copy=False)
    change_order_total = fields.Monetary(
        string="Net Change by Change Orders", readonly=True, copy=False,
        help="Approved prime contract change orders, as known when this application was last a draft.",
    )
    previous_certificates = fields.Monetary(
        string="Less Previous Certificates", readonly=True, copy=False,
        help="Total earned less retainage of the previous application (G702 line 6 of that certificate).",
    )
    previous_total_completed = fields.Monetary(readonly=True, copy=False)
    previous_retainage_work = fields.Monetary(readonly=True, copy=False)
    previous_retainage_stored = fields.Monetary(readonly=True, copy=False)

    # G702 summary
    contract_sum_to_date = fields.Monetary(compute="_compute_summary", store=True)
    total_completed_stored = fields.Monetary(string="Total Completed & Stored to Date", compute="_compute_summary",
                                             store=True)
    retainage_work = fields.Monetary(string="Retainage on Completed Work", compute="_compute_summary", store=True)
    retainage_stored = fields.Monetary(string="Retainage on Stored Materials", compute="_compute_summary", store=True)
    retainage_total = fields.Monetary(string="Total Retainage", compute="_compute_summary", store=True)
    total_earned_less_retainage = fields.Monetary(compute="_compute_summary", store=True)
    current_payment_due = fields.Monetary(compute="_compute_summary", store=True)
    balance_to_finish = fields.Monetary(
        string="Balance to Finish, Including Retainage", compute="_compute_summary", store=True,
    )
    amount_this_period = fields.Monetary(
        string="Billed This Period", compute="_compute_summary", store=True,
        help="Completed and stored to date less the same on the previous application, before retainage.",
    )
    retainage_this_period = fields.Monetary(compute="_compute_summary", store=True)
    # Tax is no part of the AIA certificate: it is the invoice's, so it is read from the invoice
    # once there is one, and computed the way the invoice will compute it until then.
    amount_tax = fields.Monetary(
        string="Tax", compute="_compute_amount_tax",
        help="The tax the invoice of this application adds to the current payment due (negative on a credit note).",
    )
    amount_due_incl_tax = fields.Monetary(string="Current Payment Due incl. Tax", compute="_compute_amount_tax")

    _sql_constraints = [
        ("number_unique", "UNIQUE(project_id, number)", "This project already has a pay application with this number."),
        ("number_positive", "CHECK(number > 0)", "Application numbers start at 1."),
        ("retention_ranges",
         "CHECK(retention_percent BETWEEN 0 AND 100 AND materials_retention_percent BETWEEN 0 AND 100)",
         "Retainage percentages must lie between 0 and 100."),
    ]

    @api.depends("project_id.name", "number")
    def _compute_name(self):
        for application in self:
            application.name = _("%(project)s, Application %(number)s",
                                 project=application.project_id.name or "", number=application.number)

    @api.depends("project_id")
    def _compute_partner_id(self):
        for application in self:
            application.partner_id = application.project_id.partner_id

    @api.depends("project_id")
    def _compute_company_id(self):
        for application in self:
            application.company_id = application.project_id.company_id or application.company_id or self.env.company

    # Two methods, not one: a rate given on create must not be overwritten by computing the other.
    @api.depends("project_id")
    def _compute_retention_percent(self):
        for application in self:
            application.retention_percent = application.project_id.retention_percent

    @api.depends("project_id")
    def _compute_materials_retention_percent(self):
        for application in self:
            application.materials_retention_percent = application.project_id.retention_percent

    @api.depends(
        "original_contract_sum", "change_order_total", "previous_certificates", "previous_total_completed",
        "previous_retainage_work", "previous_retainage_stored",
        "line_ids.total_completed_stored", "line_ids.retainage_work", "line_ids.retainage_stored",
    )
    def _compute_summary(self):
        for app in self:
            lines = app.line_ids
            app.contract_sum_to_date = app.original_contract_sum + app.change_order_total
            app.total_completed_stored = sum(lines.mapped("total_completed_stored"))
            app.retainage_work = sum(lines.mapped("retainage_work"))
            app.retainage_stored = sum(lines.mapped("retainage_stored"))
            app.retainage_total = app.retainage_work + app.retainage_stored
            app.total_earned_less_retainage = app.total_completed_stored - app.retainage_total
            app.current_payment_due = app.total_earned_less_retainage - app.previous_certificates
            app.balance_to_finish = app.contract_sum_to_date - app.total_earned_less_retainage
            app.amount_this_period = app.total_completed_stored - app.previous_total_completed
            app.retainage_this_period = (
                app.retainage_total - app.previous_retainage_work - app.previous_retainage_stored
            )

    @api.depends(
        "invoice_id", "line_ids.amount_this_period", "retainage_work", "retainage_stored", "previous_retainage_work",
        "previous_retainage_stored", "partner_id", "project_id.construction_tax_ids", "project_id.retention_tax_rule",
        "current_payment_due",
    )
    def _compute_amount_tax(self):
        for app in self:
            # The invoice's tax, whoever reads the application (a construction user may not read invoices).
            invoice = app.invoice_id.sudo()
            if invoice:
                app.amount_tax = invoice.amount_tax_signed
            elif app.project_id:
                app.amount_tax = app._tax_of(app._invoice_line_specs())
            else:
                app.amount_tax = 0.0
            app.amount_due_incl_tax = app.current_payment_due + app.amount_tax

    # ------------------------------------------------------------------------------------------
    # creation and carry-forward
    # ------------------------------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("number") and vals.get("project_id"):
                vals["number"] = self._next_number(vals["project_id"])
        applications = super().create(vals_list)
        applications._carry_forward()
        return applications

    @api.model
    def _next_number(self, project_id):
        last = self.with_context(active_test=False).sudo().search(
            [("project_id", "=", project_id)], order="number desc", limit=1,
        )
        return last.number + 1

    def _previous_application(self):
        """The latest earlier application of the project that counts (not cancelled)."""
        self.ensure_one()
        return self.search([
            ("project_id", "=", self.project_id.id), ("number", "<", self.number), ("state", "!=", "cancelled"),
        ], order="number desc", limit=1)

    def _carry_forward(self):
        """Copies the previous application's to-date figures into this draft: contract sums,
        certificates, retainage, and per cost code the work completed and materials stored; a
        cost code billed before but missing here gets its line, so nothing billed drops out."""
        Line = self.env["construction.pay.application.line"]
        for app in self.filtered(lambda a: a.state == "draft"):
            project = app.project_id
            previous = app._previous_application()
            change_orders = 0.0
            if "revised_contract_value" in project._fields:
                change_orders = project.revised_contract_value - project.original_contract_value
            app.write({
                "original_contract_sum": project.original_contract_value,
                "change_order_total": change_orders,
                "previous_certificates": previous.total_earned_less_retainage,
                "previous_total_completed": previous.total_completed_stored,
                "previous_retainage_work": previous.retainage_work,
                "previous_retainage_stored": previous.retainage_stored,
            })
            before = {line.cost_code_id: line for line in previous.line_ids}
            mine = {line.cost_code_id: line for line in app.line_ids}
            # Lines carrying the same figures are written together, lines already carrying them
            # not at all: a first application's forty lines are new and carry zeros.
            changes = {}
            for cost_code, line in mine.items():
                old = before.get(cost_code)
                figures = (old.previous_work_completed + old.work_completed_this_period if old else 0.0,
                           old.materials_stored if old else 0.0)
                if (line.previous_work_completed, line.previous_materials_stored) != figures:
                    changes[figures] = changes.get(figures, Line) | line
            for (work, stored), lines in changes.items():
                lines.write({"previous_work_completed": work, "previous_materials_stored": stored})
            missing = [old for cost_code, old in before.items() if cost_code not in mine]
            if missing:
                Line.create([{
                    "application_id": app.id,
                    "sequence": old.sequence,
                    "cost_code_id": old.cost_code_id.id,
                    "description": old.description,
                    "scheduled_value": old.scheduled_value,
                    "previous_work_completed": old.previous_work_completed + old.work_completed_this_period,
                    "previous_materials_stored": old.materials_stored,
                    # Stored materials stay stored until the next application says they are installed.
                    "materials_stored": old.materials_stored,
                } for old in missing])
        return True

    def _set_period_progress(self, progress):
        """Records this period's progress from {cost_code_id: (work this period, materials
        presently stored)} on the carried-forward schedule of values (demo data, scripts)."""
        self.ensure_one()
        by_code = {line.cost_code_id.id: line for line in self.line_ids}
        for cost_code_id, (work, stored) in progress.items():
            by_code[int(cost_code_id)].write({"work_completed_this_period": work, "materials_stored": stored})
        return True

    def action_refresh_previous(self):
        self._check_state("draft", _("refresh"))
        self._carry_forward()
        return True

    # ------------------------------------------------------------------------------------------
    # state machine
    # ------------------------------------------------------------------------------------------

    def _check_state(self, states, verb):
        states = (states,) if isinstance(states, str) else states
        for app in self:
            if app.state not in states:
                raise UserError(_("Cannot %(verb)s %(name)s: it is %(state)s.", verb=verb, name=app.display_name,
                                  state=dict(app._fields["state"].selection)[app.state].lower()))

    def _check_manager(self, verb):
        # The engine applies events as superuser; people need the manager group.
        if not self.env.su and not self.env.user.has_group("construction_base.group_manager"):
            raise AccessError(_("Only a Construction manager may %s a pay application.", verb))

    def action_certify(self):
        """Freezes the application: from now on its figures are what the owner was told."""
        self._check_manager(_("certify"))
        self._check_state("draft", _("certify"))
        for app in self.sorted("number"):
            earlier_drafts = self.search([
                ("project_id", "=", app.project_id.id), ("number", "<", app.number), ("state", "=", "draft"),
            ])
            if earlier_drafts:
                raise UserError(_(
                    "Certify %(earlier)s first: %(name)s carries its figures forward.",
                    earlier=", ".join(earlier_drafts.mapped("display_name")), name=app.display_name,
                ))
            later = self.search([("project_id", "=", app.project_id.id), ("number", ">", app.number),
                                 ("state", "in", ("certified", "invoiced"))], limit=1)
            if later:
                # Its previous figures were taken without this one: certifying now would count twice.
                raise UserError(_("Cannot certify %(name)s: the later %(later)s is already certified.",
                                  name=app.display_name, later=later.display_name))
            if not app.line_ids:
                raise UserError(_("%s has no schedule of values lines to certify.", app.display_name))
            app._carry_forward()
            app.line_ids._check_not_over_scheduled_value()
            app.write({"state": "certified", "certified_date": fields.Date.context_today(app)})
        self.env["construction.sync.outbox"]._publish("pay_application.certified", self)
        return True

    def action_reset_to_draft(self):
        self._check_manager(_("reset"))
        self._check_state("certified", _("reset to draft"))
        self._check_latest(_("reset to draft"))
        self.write({"state": "draft", "certified_date": False})
        self._carry_forward()
        return True

    def action_cancel(self):
        self._check_manager(_("cancel"))
        self._check_state(("draft", "certified"), _("cancel"))
        self._check_latest(_("cancel"))
        self.state = "cancelled"
        return True

    def _check_latest(self, verb):
        # A later draft is harmless: it takes the previous figures again when it is certified.
        for app in self:
            later = self.search([("project_id", "=", app.project_id.id), ("number", ">", app.number),
                                 ("state", "in", ("certified", "invoiced"))], limit=1)
            if later:
                raise UserError(_("Cannot %(verb)s %(name)s: %(later)s carries its figures forward.",
                                  verb=verb, name=app.display_name, later=later.display_name))

    # What the owner was told: fixed once certified (the carry-forward writes them on drafts only).
    DOCUMENT_FIELDS = {
        "project_id", "number", "period_end", "partner_id", "retention_percent", "materials_retention_percent",
        "original_contract_sum", "change_order_total", "previous_certificates", "previous_total_completed",
        "previous_retainage_work", "previous_retainage_stored", "line_ids",
    }

    def write(self, vals):
        if self.DOCUMENT_FIELDS & set(vals):
            self._check_editable()
        return super().write(vals)

    def _check_editable(self):
        self._check_state("draft", _("change"))

    def unlink(self):
        self._check_state(("draft", "cancelled"), _("delete"))
        return super().unlink()

    # ------------------------------------------------------------------------------------------
    # invoicing
    # ------------------------------------------------------------------------------------------

    def action_create_invoice(self):
        """Posts the document of the period: a customer invoice with one line per cost code
        billed this period (on project x cost code) and the change in retainage as retention
        lines, taxed as the project says, so its total is the current payment due plus tax; a
        credit note of the same lines when that total is zero or negative (a correction that
        reduces the work completed)."""
        self._check_manager(_("invoice"))
        self._check_state("certified", _("invoice"))
        for app in self:
            if not app.partner_id:
                raise UserError(_("%s has no owner to invoice: set the project's customer.", app.display_name))
            specs = app._invoice_line_specs()
            if not specs:
                raise UserError(_("%s bills nothing this period and changes no retainage: there is nothing to "
                                  "invoice.", app.display_name))
            date = app.invoice_date or app.certified_date or fields.Date.context_today(app)
            app._check_invoice_date(date, any(spec["taxes"] for spec in specs))
            refund = app.currency_id.compare_amounts(app.current_payment_due + app._tax_of(specs), 0.0) <= 0
            sign = -1 if refund else 1
            move = self.env["account.move"].create(app._invoice_values(date, refund))
            commands = []
            for spec in specs:
                if spec.get("retention"):
                    # A release (kind "released") is positive on a customer invoice, a withholding negative.
                    amount = spec["price_unit"] if spec["retention"] == "released" else -spec["price_unit"]
                    values = move._construction_retention_line_vals(amount, spec["name"], kind=spec["retention"],
                                                                    taxes=spec["taxes"])
                    values["price_unit"] *= sign
                else:
                    values = {
                        "name": spec["name"],
                        "quantity": 1,
                        "price_unit": sign * spec["price_unit"],
                        "tax_ids": [Command.set(spec["taxes"].ids)],
                        "analytic_distribution": spec["cost_code"]._analytic_distribution(app.project_id),
                    }
                commands.append(Command.create(values))
            move.write({"invoice_line_ids": commands})
            move.action_post()
            app.write({"invoice_id": move.id, "state": "invoiced", "invoice_date": date})
        self.env["construction.sync.outbox"]._publish("pay_application.invoiced", self)
        return self.action_view_invoice() if len(self) == 1 else True

    def _invoice_line_specs(self):
        """This period's invoice lines, signed as on a customer invoice (billed positive, a
        retainage withheld negative), each with its taxes: the cost codes billed this period
        with the project's billing taxes, then the change in retainage on work and on stored
        materials, untaxed when the project taxes retention when billed, with the same taxes
        when it taxes retention when released (see account.move's docstring)."""
        self.ensure_one()
        currency = self.currency_id
        taxes = self.project_id._construction_sale_taxes(self.partner_id)
        retention_taxes = taxes if self.project_id.retention_tax_rule == "released" else taxes.browse()
        specs = []
        for line in self.line_ids.sorted(lambda line: (line.sequence, line.id)):
            if currency.is_zero(line.amount_this_period):
                continue
            specs.append({
                "name": "%s %s" % (line.cost_code_id.code, line.description or line.cost_code_id.name),
                "price_unit": line.amount_this_period, "taxes": taxes, "cost_code": line.cost_code_id,
            })
        # Installed materials move retainage from stored to work: that is still withheld money,
        # so only a fall of the total (a reduced rate) is a release to the owner.
        kind = "withheld" if currency.compare_amounts(self.retainage_this_period, 0.0) >= 0 else "released"
        for amount, label in (
            (self.retainage_work - self.previous_retainage_work, _("Retainage on completed work")),
            (self.retainage_stored - self.previous_retainage_stored, _("Retainage on stored materials")),
        ):
            if not currency.is_zero(amount):
                specs.append({"name": label, "price_unit": -amount, "taxes": retention_taxes, "retention": kind})
        return specs

    def _tax_of(self, specs):
        """The tax of lines `specs` (see _invoice_line_specs), computed by the engine that
        computes the invoice's (rounding per line or globally as the company says)."""
        self.ensure_one()
        if not any(spec["taxes"] for spec in specs):
            return 0.0
        AccountTax = self.env["account.tax"]
        company = self.company_id
        base_lines = [
            AccountTax._prepare_base_line_for_taxes_computation(
                None, price_unit=spec["price_unit"], quantity=1.0, tax_ids=spec["taxes"], currency_id=self.currency_id,
            )
            for spec in specs
        ]
        AccountTax._add_tax_details_in_base_lines(base_lines, company)
        AccountTax._round_base_lines_tax_details(base_lines, company)
        return AccountTax._get_tax_totals_summary(base_lines, self.currency_id, company)["tax_amount_currency"]

    def _check_invoice_date(self, date, has_tax):
        """Refuses an invoice date in a locked period, naming the lock: Odoo would otherwise
        post the invoice silently on the first open date, away from the date the owner sees.
        The locks of a customer invoice: global, sales, hard, and tax when it is taxed."""
        self.ensure_one()
        locks = self.company_id._get_lock_date_violations(
            date, fiscalyear=True, sale=True, purchase=False, tax=has_tax, hard=True,
        )
        if locks:
            raise UserError(_(
                "Cannot invoice %(name)s on %(date)s: the books are locked (%(locks)s). Set a later invoice date "
                "on the application.",
                name=self.display_name, date=format_date(self.env, date),
                locks=self.company_id._format_lock_dates(locks),
            ))

    def _invoice_values(self, date, refund=False):
        self.ensure_one()
        return {
            "move_type": "out_refund" if refund else "out_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_date": date,
            "invoice_origin": self._reference(),
            "ref": _("Pay Application %(number)s, period to %(date)s", number=self.number, date=self.period_end),
            "construction_project_id": self.project_id.id,
            "construction_pay_application_id": self.id,
            "retention_percent": self.retention_percent,
        }

    def _reference(self):
        """How the owner knows this application: its id in the project platform when it came
        from there, else its number, with the project: "PA-100-3 / Riverside MOB"."""
        self.ensure_one()
        mapping = self.env["construction.sync.mapping"].sudo().search(
            [("res_model", "=", self._name), ("res_id", "=", self.id)], order="id", limit=1,
        )
        return "%s / %s" % (mapping.external_id or _("Application %s", self.number), self.project_id.name)

    def _action_invoice_undone(self, move):
        """Its invoice was reversed by `move` (a credit note) or cancelled: certified again, to
        be invoiced anew."""
        for app in self.filtered(lambda a: a.state == "invoiced"):
            app.write({"state": "certified", "invoice_id": False})
            app.message_post(body=_("%(move)s undid the invoice: the application is certified again and can be "
                                    "invoiced anew.", move=move.display_name))
        return True

    def action_view_invoice(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": self.invoice_id.id,
            "views": [(False, "form")],
        }

    def action_view_invoices(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Invoices and Credit Notes"),
            "res_model": "account.move",
            "domain": [("construction_pay_application_id", "=", self.id)],
            "views": [(False, "list"), (False, "form")],
        }
