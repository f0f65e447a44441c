from odoo import api, fields, models


class ConstructionBudgetLine(models.Model):
    """The working cost budget of one cost code on one project: the original amount, the approved
    budget revisions and the approved prime change orders on top of it.

    The original amount is typed in by hand, or set by the project's original budget version
    (construction.budget, version 1) once there is one. Revisions and changes are read from the
    approved budget versions and change orders each time, so voiding a change order takes its
    amount out again exactly."""

    _name = "construction.budget.line"
    _description = "Project Budget Line"
    _order = "project_id, cost_code_id"
    _check_company_auto = True

    project_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True, check_company=True)
    cost_code_id = fields.Many2one("construction.cost.code", required=True, check_company=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    original_amount = fields.Monetary(string="Original Budget")
    revision_amount = fields.Monetary(
        string="Approved Revisions", compute="_compute_amounts",
        help="Changes of this cost code's budget by the project's approved budget revisions (versions 2 and up).",
    )
    change_amount = fields.Monetary(string="Approved Changes", compute="_compute_amounts")
    revised_amount = fields.Monetary(string="Revised Budget", compute="_compute_amounts")
    budget_id = fields.Many2one(
        "construction.budget", string="Current Budget Version", compute="_compute_current_item",
        help="The project's approved budget version; while there is one, it sets the original amounts.",
    )
    quantity = fields.Float(compute="_compute_current_item", digits=(16, 3))
    unit = fields.Char(compute="_compute_current_item")

    _sql_constraints = [
        ("cost_code_unique", "UNIQUE(project_id, cost_code_id)", "A cost code has one budget line per project."),
    ]

    @api.depends("original_amount", "project_id.change_order_ids.state", "project_id.change_order_ids.budget_total",
                 "project_id.budget_ids.state", "project_id.budget_ids.change_total")
    def _compute_amounts(self):
        groups = self.env["construction.change.order.line"]._read_group(
            [("project_id", "in", self.project_id.ids), ("state", "=", "approved"), ("kind", "=", "prime")],
            ["project_id", "cost_code_id"], ["budget_amount:sum"],
        )
        changes = {(project.id, cost_code.id): amount for project, cost_code, amount in groups}
        # A superseded revision was approved too: its change stays in the budget, and the next
        # version's changes are counted from it.
        groups = self.env["construction.budget.item"].sudo()._read_group(
            [("project_id", "in", self.project_id.ids), ("budget_id.version", ">", 1),
             ("budget_id.state", "in", ("approved", "superseded"))],
            ["project_id", "cost_code_id"], ["change_amount:sum"],
        )
        revisions = {(project.id, cost_code.id): amount for project, cost_code, amount in groups}
        for line in self:
            key = (line.project_id.id, line.cost_code_id.id)
            line.change_amount = changes.get(key, 0.0)
            line.revision_amount = revisions.get(key, 0.0)
            line.revised_amount = line.original_amount + line.revision_amount + line.change_amount

    @api.depends("project_id.budget_ids.state", "project_id.budget_ids.item_ids")
    def _compute_current_item(self):
        budgets = self.env["construction.budget"].search(
            [("project_id", "in", self.project_id.ids), ("state", "=", "approved")])
        items = {(item.project_id.id, item.cost_code_id.id): item for item in budgets.item_ids}
        current = {budget.project_id.id: budget for budget in budgets}
        for line in self:
            item = items.get((line.project_id.id, line.cost_code_id.id))
            line.budget_id = current.get(line.project_id.id)
            line.quantity = item.quantity if item else 0.0
            line.unit = item.unit if item else False
