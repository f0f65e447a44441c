from odoo import api, models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    @api.model_create_multi
    def create(self, vals_list):
        """Timesheets land on the task's cost code, so labour shows in the job cost report."""
        column = self.env["construction.cost.code"]._plan()._column_name()
        tasks = self.env["project.task"].browse({v["task_id"] for v in vals_list if v.get("task_id")})
        codes = {task.id: task.cost_code_id for task in tasks if task.cost_code_id}
        for vals in vals_list:
            cost_code = codes.get(vals.get("task_id"))
            if cost_code and not vals.get(column) and column in self._fields:
                vals[column] = cost_code.analytic_account_id.id
        return super().create(vals_list)
