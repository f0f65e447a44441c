from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    original_contract_value = fields.Monetary(currency_field="currency_id", tracking=True)
    retention_percent = fields.Float(
        string="Default Retention %", digits=(5, 2),
        help="Share of each progress billing withheld until the retention is released.",
    )

    _sql_constraints = [
        ("retention_percent_range", "CHECK(retention_percent >= 0 AND retention_percent <= 100)",
         "The retention percentage must lie between 0 and 100."),
    ]
