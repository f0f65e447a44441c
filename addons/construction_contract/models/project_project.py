from odoo import api, fields, models


class ProjectProject(models.Model):
    """The contract's moving parts: approved change orders revise its value; budget,
    commitments and pay applications hang off it."""

    _inherit = "project.project"

    approved_change_order_total = fields.Monetary(
        string="Approved Change Orders", compute="_compute_contract_value", store=True, currency_field="currency_id",
    )
    revised_contract_value = fields.Monetary(
        compute="_compute_contract_value", store=True, currency_field="currency_id", tracking=True,
    )
    change_order_ids = fields.One2many("construction.change.order", "project_id", string="Change Orders")
    # With 20 % VAT, 100 000 billed and 10 % retained: "billed" charges 20 000 of tax now (due
    # 90 000 + 20 000 = 110 000) and the release of the 10 000 none; "released" charges tax on
    # the 90 000 paid now (due 90 000 + 18 000 = 108 000) and 2 000 on the release (12 000).
    retention_tax_rule = fields.Selection(
        [("billed", "Taxed When Billed"), ("released", "Taxed When Released")],
        string="Tax on Retention", required=True, default="billed", tracking=True,
        help="Taxed when billed: the whole amount billed is taxed on the invoice or bill that withholds "
        "the retention, and its release carries no tax. Taxed when released: the retained part is left "
        "out of the tax base until it is released, and the release invoice or bill charges its tax.",
    )
    budget_line_ids = fields.One2many("construction.budget.line", "project_id", string="Budget")
    budget_ids = fields.One2many("construction.budget", "project_id", string="Budget Versions")
    budget_version = fields.Integer(
        string="Budget Version", compute="_compute_budget_version",
        help="The version of the project's approved budget; 0 while it has none.",
    )
    commitment_ids = fields.One2many("purchase.order", "construction_project_id", string="Commitments")
    change_order_count = fields.Integer(compute="_compute_construction_counts")
    pay_application_count = fields.Integer(compute="_compute_construction_counts")
    commitment_count = fields.Integer(compute="_compute_construction_counts")

    @api.depends("original_contract_value", "change_order_ids.state", "change_order_ids.kind",
                 "change_order_ids.amount_total")
    def _compute_contract_value(self):
        for project in self:
            approved = project.change_order_ids.filtered(lambda co: co.state == "approved" and co.kind == "prime")
            project.approved_change_order_total = sum(approved.mapped("amount_total"))
            project.revised_contract_value = project.original_contract_value + project.approved_change_order_total

    @api.depends("budget_ids.state", "budget_ids.version")
    def _compute_budget_version(self):
        for project in self:
            project.budget_version = max(project.budget_ids.filtered(lambda b: b.state == "approved").mapped("version"),
                                         default=0)

    def _construction_next_budget_version(self):
        """The version a new budget of this project takes: the one after the highest it has."""
        self.ensure_one()
        latest = self.env["construction.budget"].sudo().search(
            [("project_id", "=", self.id)], order="version desc", limit=1)
        return latest.version + 1

    def _compute_construction_counts(self):
        change_orders = dict(self.env["construction.change.order"]._read_group(
            [("project_id", "in", self.ids)], ["project_id"], ["__count"]))
        commitments = dict(self.env["purchase.order"]._read_group(
            [("construction_project_id", "in", self.ids)], ["construction_project_id"], ["__count"]))
        pay_applications = dict(self.env["construction.pay.application"]._read_group(
            [("project_id", "in", self.ids)], ["project_id"], ["__count"]))
        for project in self:
            project.pay_application_count = pay_applications.get(project, 0)
            project.change_order_count = change_orders.get(project, 0)
            project.commitment_count = commitments.get(project, 0)

    def _construction_action(self, xml_id, domain_field):
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["domain"] = [(domain_field, "=", self.id)]
        action["context"] = {"default_%s" % domain_field: self.id}
        return action

    def action_view_change_orders(self):
        return self._construction_action("construction_contract.construction_change_order_action", "project_id")

    def action_view_commitments(self):
        return self._construction_action(
            "construction_contract.purchase_order_commitment_action", "construction_project_id"
        )

    def action_view_pay_applications(self):
        return self._construction_action("construction_contract.construction_pay_application_action", "project_id")

    def action_view_retention(self):
        action = self._construction_action("construction_contract.construction_retention_balance_action", "project_id")
        action["context"] = {}
        return action

    def action_view_budgets(self):
        return self._construction_action("construction_contract.construction_budget_action", "project_id")

    def action_view_job_cost(self):
        action = self._construction_action("construction_contract.construction_job_cost_action", "project_id")
        action["context"] = {}
        return action
