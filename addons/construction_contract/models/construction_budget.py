from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError


class ConstructionBudget(models.Model):
    """One version of a project's cost budget, as the estimating system approved it.

    Version 1 is the original budget; each later version is a revision with its reason. A
    version holds the whole budget (every cost code, with its amount, quantity and unit): when a
    revision is approved, the cost codes it does not name are carried forward from the version it
    supersedes, and each item keeps the amount it replaced, so the change of every cost code
    between two versions is stored, not recomputed from whatever the older version says later.

    Exactly one version of a project is approved (the current budget); the versions before it are
    superseded and kept as the history. The working budget per cost code
    (construction.budget.line) reads them: its original amount is version 1's, its approved
    revisions are the changes of the approved and superseded revisions, and approved prime change
    orders move it on top of that."""

    _name = "construction.budget"
    _description = "Project Budget Version"
    _inherit = ["mail.thread"]
    _order = "project_id, version desc"
    _rec_names_search = ["project_id.name"]
    _check_company_auto = True

    # identity
    project_id = fields.Many2one(
        "project.project", required=True, index=True, check_company=True, ondelete="cascade", tracking=True,
    )
    company_id = fields.Many2one(
        "res.company", compute="_compute_company_id", store=True, readonly=False, precompute=True,
        required=True, index=True,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    version = fields.Integer(
        compute="_compute_version", store=True, readonly=False, precompute=True, required=True, copy=False,
        help="1 is the original budget; each revision is a higher version, approved in order.",
    )
    date = fields.Date(string="Budget Date", default=fields.Date.context_today, tracking=True)
    reason = fields.Text(help="Why the budget was revised; required on a revision.")

    # state
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved"), ("superseded", "Superseded")],
        default="draft", required=True, copy=False, index=True, tracking=True,
        help="Approved: the project's current budget. Superseded: an earlier approved version, kept as history.",
    )
    previous_budget_id = fields.Many2one(
        "construction.budget", string="Supersedes", readonly=True, copy=False, index="btree_not_null",
        help="The version this one replaced when it was approved.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    approved_date = fields.Datetime(readonly=True, copy=False)
    event_id = fields.Many2one(
        "construction.sync.event", string="Source Event", readonly=True, copy=False, ondelete="set null",
        groups="construction_sync.group_user",
        help="The synced event (budget.approved or budget.revised) that last wrote this version.",
    )

    # lines and amounts
    item_ids = fields.One2many("construction.budget.item", "budget_id", string="Budget Items", copy=True)
    amount_total = fields.Monetary(string="Total Budget", compute="_compute_totals", store=True)
    change_total = fields.Monetary(
        string="Change", compute="_compute_totals", store=True,
        help="Change of the total budget against the version this one superseded.",
    )

    _sql_constraints = [
        ("version_unique", "UNIQUE(project_id, version)", "A project has one budget of each version."),
        ("version_positive", "CHECK(version > 0)", "Budget versions start at 1."),
    ]

    def init(self):
        # One current budget per project: a partial unique index, which _sql_constraints cannot declare.
        self.env.cr.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS construction_budget_one_approved_idx"
            " ON construction_budget (project_id) WHERE state = 'approved'"
        )

    @api.depends("project_id.name", "version")
    def _compute_display_name(self):
        for budget in self:
            budget.display_name = _("%(project)s, budget v%(version)s", project=budget.project_id.name or "",
                                    version=budget.version)

    @api.depends("project_id")
    def _compute_company_id(self):
        for budget in self:
            budget.company_id = budget.project_id.company_id or budget.company_id or self.env.company

    @api.depends("project_id")
    def _compute_version(self):
        for budget in self:
            if not budget.version and budget.project_id:
                budget.version = budget.project_id._construction_next_budget_version()

    @api.depends("item_ids.amount", "item_ids.change_amount")
    def _compute_totals(self):
        for budget in self:
            budget.amount_total = sum(budget.item_ids.mapped("amount"))
            budget.change_total = sum(budget.item_ids.mapped("change_amount"))

    @api.ondelete(at_uninstall=False)
    def _unlink_only_drafts(self):
        for budget in self:
            if budget.state != "draft":
                raise UserError(_("Budget %s was approved: it stays as part of the project's budget history.",
                                  budget.display_name))

    # ------------------------------------------------------------------ rules

    def _check_manager(self):
        if not self.env.su and not self.env.user.has_group("construction_base.group_manager"):
            raise AccessError(_("Only construction managers approve budgets."))

    def _lock_current(self):
        """The project's current approved budget, locked: two revisions approved at once (two
        runners, or a person and a runner) must not both supersede it. The second one waits, then
        fails to serialize and is retried, and then sees the first as current. Plain SQL: the
        ORM has no row locks."""
        self.ensure_one()
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT id FROM construction_budget WHERE project_id = %s AND state = 'approved' FOR NO KEY UPDATE",
            [self.project_id.id],
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _check_approvable(self, current):
        self.ensure_one()
        if self.state != "draft":
            raise UserError(_("Budget %(budget)s is already %(state)s.", budget=self.display_name,
                              state=dict(self._fields["state"]._description_selection(self.env))[self.state]))
        if not self.item_ids:
            raise UserError(_("Budget %s has no lines.", self.display_name))
        if self.version == 1:
            if current:
                raise UserError(_(
                    "Project %(project)s already has an approved budget (version %(version)s): revise it instead.",
                    project=self.project_id.display_name, version=current.version))
            return
        if not current:
            raise UserError(_(
                "Project %(project)s has no approved budget to revise: the original budget (version 1) "
                "comes first.", project=self.project_id.display_name))
        if self.version <= current.version:
            raise UserError(_(
                "Budget revision version %(version)s of %(project)s is not newer than the current budget, "
                "version %(current)s: send or enter a higher version.",
                version=self.version, project=self.project_id.display_name, current=current.version))
        if not (self.reason or "").strip():
            raise UserError(_("Budget revision %s needs a reason.", self.display_name))

    # ------------------------------------------------------------------ actions

    def action_approve(self):
        """Makes each draft version the project's current budget, superseding the one before."""
        self._check_manager()
        for budget in self:
            current = budget._lock_current()
            budget._check_approvable(current)
            budget._set_items([item._values() for item in budget.item_ids], current)
            if current:
                current.state = "superseded"
                # Flushed first, or the one-approved-per-project index could see two approved rows.
                current.flush_recordset(["state"])
            budget.write({
                "state": "approved", "previous_budget_id": current.id, "approved_by_id": self.env.uid,
                "approved_date": fields.Datetime.now(), "date": budget.date or fields.Date.context_today(budget),
            })
            budget._apply_to_budget_lines()
        return True

    def _replace_lines(self, lines):
        """Sets the lines of a version again (a re-sent budget.approved or budget.revised): what
        `lines` names is set, what its predecessor holds and `lines` does not name is carried
        forward again. A superseded version is history: the same lines again change nothing (a
        replay), other lines are refused."""
        commands = self._check_replaceable(lines)
        if commands:
            self.item_ids = commands
            if self.state == "approved":
                self._apply_to_budget_lines()

    def _check_replaceable(self, lines):
        """The item commands _replace_lines would write; refuses them on a superseded version."""
        self.ensure_one()
        commands = self._item_commands(lines, self.previous_budget_id)
        if commands and self.state == "superseded":
            current = self._current_for(self.project_id)
            raise UserError(_(
                "Budget %(budget)s was superseded by version %(current)s and cannot change any more: "
                "send a new revision.", budget=self.display_name, current=current.version))
        return commands

    def _set_items(self, lines, previous):
        """Makes the items of this version `lines` (dicts of cost_code_id, amount, quantity,
        unit) plus the items of `previous` that `lines` does not name, each with the amount of
        `previous` it replaces."""
        commands = self._item_commands(lines, previous)
        if commands:
            self.item_ids = commands

    def _item_commands(self, lines, previous):
        """The commands that make the items what _set_items says; none when they already are,
        so a replay writes nothing."""
        self.ensure_one()
        target = {}
        for item in previous.item_ids:
            target[item.cost_code_id.id] = {**item._values(), "previous_amount": item.amount}
        for line in lines:
            before = target.get(line["cost_code_id"], {}).get("previous_amount", 0.0)
            target[line["cost_code_id"]] = {"quantity": 0.0, "unit": False, **line, "previous_amount": before}
        existing = {item.cost_code_id.id: item for item in self.item_ids}
        commands = []
        for cost_code_id, values in target.items():
            item = existing.pop(cost_code_id, None)
            if not item:
                commands.append(Command.create(values))
            elif any(item._values_differ(name, value) for name, value in values.items()):
                commands.append(Command.update(item.id, values))
        return commands + [Command.unlink(item.id) for item in existing.values()]

    def _apply_to_budget_lines(self):
        """Keeps the project's working budget per cost code (construction.budget.line) in step
        with this approved version: every cost code of the version has a budget line; version 1
        sets the original amounts (a cost code it leaves out has no original budget). Revisions
        need no write: the budget lines read their changes."""
        self.ensure_one()
        Line = self.env["construction.budget.line"].sudo()
        lines = {line.cost_code_id.id: line for line in Line.search([("project_id", "=", self.project_id.id)])}
        for item in self.item_ids:
            if item.cost_code_id.id not in lines:
                lines[item.cost_code_id.id] = Line.create({
                    "project_id": self.project_id.id, "cost_code_id": item.cost_code_id.id,
                    "company_id": self.company_id.id, "original_amount": 0.0,
                })
        if self.version == 1:
            originals = {item.cost_code_id.id: item.amount for item in self.item_ids}
            for cost_code_id, line in lines.items():
                amount = originals.get(cost_code_id, 0.0)
                if line.currency_id.compare_amounts(line.original_amount, amount):
                    line.original_amount = amount

    @api.model
    def _current_for(self, project):
        return self.search([("project_id", "=", project.id), ("state", "=", "approved")], limit=1)
