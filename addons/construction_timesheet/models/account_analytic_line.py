from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .res_company import PAY_TYPES

# What payroll pays: a change to one of these on a timesheet of a closed pay period is refused.
HOURS_FIELDS = {"unit_amount", "date", "employee_id", "project_id", "task_id", "construction_pay_type",
                "construction_cost_code_id"}


class AccountAnalyticLine(models.Model):
    _inherit = "account.analytic.line"

    construction_cost_code_id = fields.Many2one(
        "construction.cost.code", string="Cost Code", index="btree_not_null",
        help="The cost code the hours cost to when the timesheet has no task carrying one (crew sheets).",
    )
    construction_pay_type = fields.Selection(
        PAY_TYPES, string="Pay Type",
        help="Regular, overtime or double time: the wage multiplier of the hours. Empty counts as regular.",
    )
    construction_crew_sheet_id = fields.Many2one(
        "construction.crew.sheet", string="Crew Sheet", index="btree_not_null", ondelete="cascade", readonly=True,
    )

    def _timesheet_preprocess_get_accounts(self, vals):
        """Timesheets take their analytic accounts from the project; on a cost code (of the line,
        else of its task) they land on that code too, so labour shows in the job cost report."""
        accounts = super()._timesheet_preprocess_get_accounts(vals)
        if not accounts:
            return accounts
        cost_code = self.env["construction.cost.code"].sudo().browse(vals.get("construction_cost_code_id"))
        if not cost_code and not vals.get("construction_cost_code_id"):
            cost_code = self[:1].construction_cost_code_id
        if not cost_code:
            cost_code = self.env["project.task"].sudo().browse(vals.get("task_id") or self[:1].task_id.id).cost_code_id
        if cost_code:
            column = self.env["construction.cost.code"]._plan()._column_name()
            accounts[column] = cost_code.analytic_account_id.id
        return accounts

    def _hourly_cost(self):
        """The loaded cost of an hour: the employee's wage at the line's pay type multiplier,
        plus the company's labor burden. Odoo freezes it in the line's amount when the hours,
        employee or account change, so a later burden change does not rewrite past job cost."""
        wage = super()._hourly_cost()
        company = self.company_id or self.employee_id.company_id or self.env.company
        return company._construction_labor_rate(wage, self.construction_pay_type or "regular")

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._construction_check_payroll_periods()
        return lines

    def write(self, vals):
        checked = bool(HOURS_FIELDS & set(vals))
        if checked:
            self._construction_check_payroll_periods()
        result = super().write(vals)
        if checked:
            self._construction_check_payroll_periods()
        return result

    def unlink(self):
        self._construction_check_payroll_periods()
        return super().unlink()

    def _construction_check_payroll_periods(self):
        """Hours of a closed pay period are what payroll paid: they change only once the period
        is reopened, whether typed in Odoo or sent by the field."""
        timesheets = self.filtered(lambda line: line.project_id and line.employee_id)
        if not timesheets:
            return
        closed = self.env["construction.payroll.period"].sudo().search([
            ("state", "=", "closed"), ("company_id", "in", timesheets.company_id.ids),
            ("date_from", "<=", max(timesheets.mapped("date"))), ("date_to", ">=", min(timesheets.mapped("date"))),
        ])
        for line in timesheets:
            for period in closed:
                if period.company_id == line.company_id and period.date_from <= line.date <= period.date_to:
                    raise UserError(_("Payroll period %(period)s is closed: the hours of %(employee)s on %(date)s "
                                      "cannot change.", period=period.display_name, employee=line.employee_id.name,
                                      date=line.date))
