from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionCostCode(models.Model):
    """A line of the work breakdown (e.g. "03 30 00 Cast-in-Place Concrete"). Each code owns an
    analytic account in the "Cost Codes" plan, so costs and revenue distributed on the project's
    account and the code's account land on project x cost code in plain Odoo analytic reporting."""

    _name = "construction.cost.code"
    _description = "Cost Code"
    _inherit = ["mail.thread"]
    _order = "code, id"
    _rec_names_search = ["code", "name"]
    _check_company_auto = True

    code = fields.Char(required=True, tracking=True)
    name = fields.Char(required=True, tracking=True, translate=True)
    project_id = fields.Many2one(
        "project.project", index="btree_not_null", check_company=True, ondelete="cascade",
        help="Empty for a company-wide code usable on every project.",
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    analytic_account_id = fields.Many2one(
        "account.analytic.account", readonly=True, copy=False, ondelete="restrict", check_company=True,
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        # NULLS NOT DISTINCT (PostgreSQL 15): two company-wide codes "03" are a clash too.
        ("code_unique", "UNIQUE NULLS NOT DISTINCT (company_id, project_id, code)",
         "This cost code already exists for this project (or company-wide)."),
    ]

    @api.depends("code", "name")
    def _compute_display_name(self):
        for cost_code in self:
            cost_code.display_name = "%s %s" % (cost_code.code, cost_code.name) if cost_code.code else cost_code.name

    @api.model
    def _plan(self):
        return self.env.ref("construction_base.analytic_plan_cost_codes")

    @api.model_create_multi
    def create(self, vals_list):
        cost_codes = super().create(vals_list)
        cost_codes._ensure_analytic_account()
        return cost_codes

    def write(self, vals):
        if "company_id" in vals and any(
            c.company_id.id != vals["company_id"] for c in self if c.analytic_account_id.line_ids
        ):
            raise UserError(_("A cost code with analytic entries cannot move to another company."))
        result = super().write(vals)
        if {"code", "name"} & set(vals):
            for cost_code in self.filtered("analytic_account_id"):
                cost_code.analytic_account_id.sudo().write({"name": cost_code.name, "code": cost_code.code})
        return result

    def _ensure_analytic_account(self):
        plan = self._plan()
        for cost_code in self.filtered(lambda c: not c.analytic_account_id):
            cost_code.analytic_account_id = self.env["account.analytic.account"].sudo().create({
                "name": cost_code.name,
                "code": cost_code.code,
                "plan_id": plan.id,
                "company_id": cost_code.company_id.id,
            })

    def _analytic_distribution(self, project):
        """The distribution putting an amount on `project` x this cost code (100 % each)."""
        if self:
            self.ensure_one()
        accounts = [project._construction_analytic_account().id]
        if self:
            accounts.append(self.analytic_account_id.id)
        return {",".join(str(a) for a in accounts): 100}

    @api.model
    def _available_for(self, project):
        # Odoo leaves a project's company empty when it is shared by all companies.
        company = project.company_id or self.env.company
        return self.search([("company_id", "=", company.id), ("project_id", "in", [False, project.id])])
