from odoo import models


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    def _timesheet_preprocess_get_accounts(self, vals):
        """Timesheets take their analytic accounts from the project; on a task with a cost code
        they land on that code too, so labour shows in the job cost report."""
        accounts = super()._timesheet_preprocess_get_accounts(vals)
        task = self.env["project.task"].sudo().browse(vals.get("task_id") or self[:1].task_id.id)
        if accounts and task.cost_code_id:
            column = self.env["construction.cost.code"]._plan()._column_name()
            accounts[column] = task.cost_code_id.analytic_account_id.id
        return accounts
