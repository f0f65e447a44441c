from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestServiceTicket(WarrantyCase):

    def job_cost(self):
        self.env.flush_all()
        JobCost = self.env["construction.job.cost"]
        JobCost.invalidate_model()
        return {(row.cost_code_id.code or ""): row.actual_cost
                for row in JobCost.search([("project_id", "=", self.project.id)])}

    def test_callback_in_warranty_costs_to_the_warranty_code_in_the_job_cost(self):
        self.assertDone(self.apply("timesheet.approved", {
            "id": "CS-1", "project_id": "P-1", "date": "2026-11-18",
            "lines": [{"employee_id": "E-1", "cost_code_id": "CC-CONC", "hours": {"regular": 8, "overtime": 2}}]}))
        self.complete()
        event = self.ticket()
        self.assertDone(event)
        task = event.record_ref
        warranty = self.project.construction_warranty_cost_code_id
        self.assertEqual((task.project_id, task.partner_id, task.construction_ticket_kind,
                          task.construction_in_warranty, task.cost_code_id),
                         (self.project, self.customer, "callback", True, warranty))
        # Crew sheet: 8 x 57.00 + 2 x (60 x 1.3 + 5 = 83.00) = 622.00; callback: 3.5 x 57.00 = 199.50.
        self.assertEqual(self.job_cost(), {"93 30 00": 622.0, "01 78 36": 199.5})

    def test_update_replaces_the_tickets_hours_exactly(self):
        self.complete()
        task = self.ticket().record_ref
        closed = self.ticket(timestamp="2026-11-26T09:00:00Z", status="done", time_entries=[
            {"employee_id": "E-1", "date": "2026-12-02", "hours": 3.5},
            {"employee_id": "E-1", "date": "2026-12-03", "hours": 1.0, "pay_type": "overtime"}])
        self.assertDone(closed)
        self.assertEqual(closed.record_ref, task)
        self.assertEqual(task.state, "1_done")
        self.assertEqual(sorted(task.timesheet_ids.mapped("amount")), [-199.5, -83.0])
        self.assertEqual(self.job_cost()["01 78 36"], 282.5)
        self.assertDone(self.ticket(timestamp="2026-11-26T09:00:00Z", status="done", time_entries=[
            {"employee_id": "E-1", "date": "2026-12-02", "hours": 3.5},
            {"employee_id": "E-1", "date": "2026-12-03", "hours": 1.0, "pay_type": "overtime"}]))
        self.assertEqual(len(task.timesheet_ids), 2)

    def test_after_the_warranty_end_it_is_out_of_warranty(self):
        self.complete(warranty_months=12)
        task = self.ticket(reported_on="2027-11-21", time_entries=[]).record_ref
        self.assertFalse(task.construction_in_warranty)
        self.assertEqual(task.cost_code_id.code, "01 78 36")

    def test_ticket_by_customer_lands_on_the_latest_completed_project(self):
        self.complete()
        event = self.ticket(project_id=None, customer_id="C-1")
        self.assertDone(event)
        self.assertEqual(event.record_ref.project_id, self.project)

    def test_ticket_before_completion_is_refused_until_retried(self):
        early = self.ticket()
        self.assertEqual(early.error_class, "business")
        self.assertIn("substantial completion", early.error_message)
        self.complete()
        early.action_retry()
        self.drain()
        self.assertDone(early)

    def test_unknown_employee_waits(self):
        self.complete()
        waiting = self.ticket(time_entries=[{"employee_id": "E-9", "date": "2026-12-02", "hours": 2}])
        self.assertEqual((waiting.error_class, waiting.waiting_for), ("data", "hr.employee:E-9"))
        self.assertFalse(self.env["project.task"].search([("name", "=", "Roof drain leaking"),
                                                          ("project_id", "=", self.project.id)]))
