from odoo import fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    cost_code_id = fields.Many2one(
        "construction.cost.code", domain="[('project_id', 'in', [False, project_id])]",
        help="Timesheets on this task cost to this cost code of the project.",
    )
