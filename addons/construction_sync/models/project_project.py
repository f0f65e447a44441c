from odoo import _, fields, models


class ProjectProject(models.Model):
    """A project is a construction contract: its customer (partner_id), contract value, default
    retention and analytic account."""

    _inherit = "project.project"

    original_contract_value = fields.Monetary(currency_field="currency_id", tracking=True)
    retention_percent = fields.Float(
        string="Default Retention %", digits=(5, 2),
        help="Share of each progress billing withheld until the retention is released.",
    )
    cost_code_ids = fields.One2many("construction.cost.code", "project_id", string="Project Cost Codes")

    _sql_constraints = [
        ("retention_percent_range", "CHECK(retention_percent >= 0 AND retention_percent <= 100)",
         "The retention percentage must lie between 0 and 100."),
    ]

    def _construction_analytic_account(self):
        """The project's analytic account, created the way Odoo does on first need."""
        self.ensure_one()
        if not self.account_id:
            self.sudo()._create_analytic_account()
        return self.account_id
