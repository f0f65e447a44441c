from odoo.tests import tagged

from odoo.addons.construction_contract.tests.test_commitment import CommitmentCase


@tagged("post_install", "-at_install")
class TestJobCostWithTimesheets(CommitmentCase):
    """Where the contract apps and the timesheet bridge meet: labour on a task's cost code is
    actual cost of that code in the job cost report."""

    def row(self, cost_code):
        self.env.flush_all()
        return self.env["construction.job.cost"].search(
            [("project_id", "=", self.project.id), ("cost_code_id", "=", cost_code.id)])

    def test_timesheets_cost_to_the_tasks_cost_code(self):
        employee = self.env["hr.employee"].create({"name": "Site Foreman", "hourly_cost": 62.5})
        task = self.env["project.task"].create({"name": "Lay block", "project_id": self.project.id,
                                                "cost_code_id": self.cc_masonry.id})
        self.env["account.analytic.line"].create({
            "name": "Block day 1", "project_id": self.project.id, "task_id": task.id,
            "employee_id": employee.id, "unit_amount": 7.5,
        })
        self.assertEqual(self.row(self.cc_masonry).actual_cost, 468.75)
        self.assertEqual(self.row(self.cc_masonry).uncommitted_cost, 468.75)
