from odoo import fields
from odoo.tests import tagged

from .common import CrewCase

DAY = [
    {"employee_id": "E-1", "cost_code_id": "CC-CONC", "description": "Pour level 2",
     "hours": {"regular": 8, "overtime": 2, "double_time": 1},
     "equipment": [{"id": "EQ-9", "name": "Concrete pump", "hours": 4}]},
    {"employee_id": "E-2", "cost_code_id": "CC-MAS", "hours": {"regular": 8}},
]


@tagged("post_install", "-at_install")
class TestCrewSheet(CrewCase):

    def setUp(self):
        super().setUp()
        self.marco = self.hire()
        self.priya = self.hire("E-2", "Priya Natarajan", 30.0)

    def test_loaded_cost_by_pay_type_on_project_and_cost_code(self):
        event = self.sheet(DAY)
        self.assertDone(event)
        sheet = event.record_ref
        concrete, masonry = self.cc_concrete.analytic_account_id.name, self.cc_masonry.analytic_account_id.name
        # 8 x 57.00 = 456.00; 2 x 83.00 = 166.00; 1 x 109.00 = 109.00; 8 x 44.00 = 352.00
        self.assertEqual(self.lines_of(sheet), [
            ("Marco Alvarez", concrete, "double_time", 1.0, -109.0),
            ("Marco Alvarez", concrete, "overtime", 2.0, -166.0),
            ("Marco Alvarez", concrete, "regular", 8.0, -456.0),
            ("Priya Natarajan", masonry, "regular", 8.0, -352.0),
        ])
        self.assertEqual(sheet.timesheet_ids.account_id, self.project.account_id)
        self.assertEqual((sheet.total_hours, sheet.labor_cost), (19.0, 1083.0))
        self.assertEqual([(e.name, e.hours, e.employee_id) for e in sheet.equipment_ids],
                         [("Concrete pump", 4.0, self.marco)])

    def test_burden_change_does_not_rewrite_past_hours(self):
        sheet = self.sheet(DAY).record_ref
        self.company.construction_labor_burden_percent = 50.0
        self.assertEqual(sheet.labor_cost, 1083.0)

    def test_corrected_sheet_replaces_its_lines_exactly(self):
        first = self.sheet(DAY).record_ref
        corrected = self.sheet([{"employee_id": "E-1", "cost_code_id": "CC-MAS", "hours": {"regular": 6}}],
                               timestamp="2026-11-19T08:00:00Z")
        self.assertDone(corrected)
        self.assertEqual(corrected.record_ref, first)
        self.assertEqual(self.lines_of(first), [
            ("Marco Alvarez", self.cc_masonry.analytic_account_id.name, "regular", 6.0, -342.0)])
        self.assertEqual((first.revision, first.labor_cost), (2, 342.0))
        self.assertFalse(first.equipment_ids)
        self.assertEqual(self.env["account.analytic.line"].search_count(
            [("project_id", "=", self.project.id), ("employee_id", "in", (self.marco + self.priya).ids)]), 1)

    def test_replay_of_the_same_sheet_changes_nothing(self):
        self.sheet(DAY)
        again = self.sheet(DAY)
        self.assertDone(again)
        self.assertEqual(again.record_ref.labor_cost, 1083.0)
        self.assertEqual(len(again.record_ref.timesheet_ids), 4)

    def test_older_version_arriving_late_is_stale(self):
        self.sheet(DAY, timestamp="2026-11-19T08:00:00Z")
        late = self.sheet([{"employee_id": "E-1", "cost_code_id": "CC-MAS", "hours": {"regular": 6}}],
                          timestamp="2026-11-18T17:00:00Z")
        self.assertEqual(late.state, "stale")
        sheet = self.env["construction.crew.sheet"].search([("name", "=", "CS-1")])
        self.assertEqual(sheet.labor_cost, 1083.0)

    def test_unknown_employee_waits_and_is_released_when_hired(self):
        waiting = self.sheet([{"employee_id": "E-3", "cost_code_id": "CC-CONC", "hours": {"regular": 8}}])
        self.assertEqual((waiting.state, waiting.error_class, waiting.waiting_for),
                         ("failed", "data", "hr.employee:E-3"))
        self.hire("E-3", "Tom Becker", 28.0)
        self.drain()
        self.assertDone(waiting)
        # 28 x 1.3 + 5 = 41.40 an hour
        self.assertEqual(waiting.record_ref.labor_cost, 331.2)

    def test_closed_payroll_period_refuses_the_sheet_and_its_correction(self):
        self.sheet(DAY)
        period = self.env["construction.payroll.period"].create(
            {"date_from": "2026-11-16", "date_to": "2026-11-22", "company_id": self.company.id})
        period.action_close()
        corrected = self.sheet(DAY[:1], timestamp="2026-11-20T08:00:00Z")
        self.assertEqual((corrected.state, corrected.error_class), ("failed", "business"))
        self.assertIn("is closed", corrected.error_message)
        # The correction of a sheet from an open week moved into a closed one is refused too.
        moved = self.sheet(DAY[:1], sheet_id="CS-2", date="2026-11-23")
        self.assertDone(moved)
        back = self.sheet(DAY[:1], sheet_id="CS-2", date="2026-11-16", timestamp="2026-11-24T08:00:00Z")
        self.assertEqual(back.error_class, "business")
        self.assertEqual(self.env["construction.crew.sheet"].search([("name", "=", "CS-2")]).date,
                         fields.Date.to_date("2026-11-23"))

    def test_locked_books_refuse_the_sheet(self):
        # A month without the demo's unreconciled bank lines, which would forbid the lock.
        self.company.fiscalyear_lock_date = "2025-01-31"
        event = self.sheet(DAY, date="2025-01-15")
        self.assertEqual(event.error_class, "business")
        self.assertIn("locked", event.error_message)
        self.assertFalse(self.env["construction.crew.sheet"].search([("name", "=", "CS-1")]))

    def test_hours_without_cost_code_or_wage_are_business_errors(self):
        no_code = self.sheet([{"employee_id": "E-1", "hours": {"regular": 8}}])
        self.assertEqual(no_code.error_class, "business")
        self.assertIn("no cost code", no_code.error_message)
        self.hire("E-4", "Unpaid Volunteer", 0.0)
        no_wage = self.sheet([{"employee_id": "E-4", "cost_code_id": "CC-CONC", "hours": {"regular": 8}}],
                             sheet_id="CS-4")
        self.assertEqual(no_wage.error_class, "business")
        self.assertIn("no hourly cost", no_wage.error_message)

    def test_task_gives_the_cost_code(self):
        task = self.env["project.task"].create({"name": "Block wall", "project_id": self.project.id,
                                                "cost_code_id": self.cc_masonry.id})
        self.Mapping.create({"system_id": self.system.id, "res_model": "project.task", "external_id": "T-1",
                             "res_id": task.id})
        sheet = self.sheet([{"employee_id": "E-2", "task_id": "T-1", "hours": {"overtime": 2}}]).record_ref
        # 45.00 x 1.3 + 5 = 63.50 an hour
        self.assertEqual(self.lines_of(sheet), [
            ("Priya Natarajan", self.cc_masonry.analytic_account_id.name, "overtime", 2.0, -127.0)])
        self.assertEqual(sheet.timesheet_ids.task_id, task)
