from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase


@tagged("post_install", "-at_install")
class TestTimesheetCostCode(FinanceCase):
    """Timesheets on a task with a cost code land on project x cost code."""

    def timesheet(self, task, hours=7.5):
        return self.env["account.analytic.line"].create({
            "name": "Block day 1", "project_id": self.project.id, "task_id": task.id,
            "employee_id": self.employee.id, "unit_amount": hours,
        })

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Without burden, whatever the company's settings: the hour costs the wage.
        cls.company.write({"construction_labor_burden_percent": 0.0, "construction_labor_burden_hourly": 0.0})
        cls.employee = cls.env["hr.employee"].create({"name": "Site Foreman", "hourly_cost": 62.5})
        cls.column = cls.env["construction.cost.code"]._plan()._column_name()

    def test_timesheet_lands_on_the_tasks_cost_code(self):
        task = self.env["project.task"].create({"name": "Lay block", "project_id": self.project.id,
                                                "cost_code_id": self.cc_masonry.id})
        line = self.timesheet(task)
        self.assertEqual(line.account_id, self.project.account_id)
        self.assertEqual(line[self.column], self.cc_masonry.analytic_account_id)
        self.assertEqual(line.amount, -468.75)

    def test_task_without_cost_code_lands_on_the_project_only(self):
        task = self.env["project.task"].create({"name": "Cleanup", "project_id": self.project.id})
        line = self.timesheet(task, hours=2)
        self.assertEqual(line.account_id, self.project.account_id)
        self.assertFalse(line[self.column])

    def test_task_offers_only_the_projects_and_company_cost_codes(self):
        domain = self.env["project.task"]._fields["cost_code_id"].domain
        self.assertEqual(domain, "[('project_id', 'in', [False, project_id])]")

    def test_typed_timesheet_costs_the_loaded_hour(self):
        self.company.write({"construction_labor_burden_percent": 20.0, "construction_labor_burden_hourly": 3.0})
        task = self.env["project.task"].create({"name": "Lay block", "project_id": self.project.id,
                                                "cost_code_id": self.cc_masonry.id})
        # 62.50 x 1.2 + 3.00 = 78.00 an hour, regular (no pay type), 7.5 hours
        self.assertEqual(self.timesheet(task).amount, -585.0)
