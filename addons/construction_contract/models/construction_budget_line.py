from odoo import api, fields, models


class ConstructionBudgetLine(models.Model):
    """The cost budget of one cost code on one project. Approved changes are read from approved
    prime change orders each time, so voiding one takes its amount out again exactly."""

    _name = "construction.budget.line"
    _description = "Project Budget Line"
    _order = "project_id, cost_code_id"
    _check_company_auto = True

    project_id = fields.Many2one("project.project", required=True, ondelete="cascade", index=True, check_company=True)
    cost_code_id = fields.Many2one("construction.cost.code", required=True, check_company=True, index=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    original_amount = fields.Monetary(string="Original Budget")
    change_amount = fields.Monetary(string="Approved Changes", compute="_compute_amounts")
    revised_amount = fields.Monetary(string="Revised Budget", compute="_compute_amounts")

    _sql_constraints = [
        ("cost_code_unique", "UNIQUE(project_id, cost_code_id)", "A cost code has one budget line per project."),
    ]

    @api.depends("original_amount", "project_id.change_order_ids.state", "project_id.change_order_ids.budget_total")
    def _compute_amounts(self):
        groups = self.env["construction.change.order.line"]._read_group(
            [("project_id", "in", self.project_id.ids), ("state", "=", "approved"), ("kind", "=", "prime")],
            ["project_id", "cost_code_id"], ["budget_amount:sum"],
        )
        changes = {(project.id, cost_code.id): amount for project, cost_code, amount in groups}
        for line in self:
            line.change_amount = changes.get((line.project_id.id, line.cost_code_id.id), 0.0)
            line.revised_amount = line.original_amount + line.change_amount
