import base64
import json

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CrewCase


@tagged("post_install", "-at_install")
class TestPayrollExport(CrewCase):

    def test_closing_exports_the_hours_in_payroll_layout(self):
        self.hire()
        self.hire("E-2", "Priya Natarajan", 30.0)
        self.sheet([{"employee_id": "E-1", "cost_code_id": "CC-CONC", "hours": {"regular": 8, "overtime": 2}},
                    {"employee_id": "E-1", "cost_code_id": "CC-CONC", "hours": {"regular": 0.5}},
                    {"employee_id": "E-2", "cost_code_id": "CC-MAS", "hours": {"regular": 7.5}}],
                   date="2025-03-18")
        self.sheet([{"employee_id": "E-2", "cost_code_id": "CC-MAS", "hours": {"double_time": 4}}],
                   sheet_id="CS-2", date="2025-03-22")
        self.sheet([{"employee_id": "E-2", "cost_code_id": "CC-MAS", "hours": {"regular": 8}}],
                   sheet_id="CS-3", date="2025-03-24")
        period = self.env["construction.payroll.period"].create(
            {"date_from": "2025-03-17", "date_to": "2025-03-23", "company_id": self.company.id})
        period.action_close()
        self.assertEqual((period.state, period.closed_by_id), ("closed", self.env.user))
        # The demo's hand-entered timesheets lie elsewhere: a week of 2025 holds only these.
        project = self.project.name
        self.assertEqual(base64.b64decode(period.export_file).decode(), (
            "employee,employee_id,date,project,cost_code,pay_type,hours\n"
            "Marco Alvarez,E-1,2025-03-18,%(p)s,93 30 00,regular,8.50\n"
            "Marco Alvarez,E-1,2025-03-18,%(p)s,93 30 00,overtime,2.00\n"
            "Priya Natarajan,E-2,2025-03-18,%(p)s,94 20 00,regular,7.50\n"
            "Priya Natarajan,E-2,2025-03-22,%(p)s,94 20 00,double_time,4.00\n"
        ) % {"p": project})

    def test_periods_do_not_overlap(self):
        Period = self.env["construction.payroll.period"]
        Period.create({"date_from": "2026-11-16", "date_to": "2026-11-22", "company_id": self.company.id})
        with self.assertRaises(ValidationError):
            Period.create({"date_from": "2026-11-22", "date_to": "2026-11-28", "company_id": self.company.id})

    def test_closing_tells_the_payroll_system(self):
        self.env["construction.sync.subscription"].create({
            "name": "Payroll", "system_id": self.system.id, "endpoint_url": "https://payroll.example/hooks",
            "event_types": "payroll.period_closed"})
        marco = self.hire()
        self.sheet([{"employee_id": "E-1", "cost_code_id": "CC-CONC", "hours": {"regular": 8, "overtime": 1.5}}],
                   date="2025-03-18")
        period = self.env["construction.payroll.period"].create(
            {"date_from": "2025-03-17", "date_to": "2025-03-23", "company_id": self.company.id})
        period.action_close()
        message = self.env["construction.sync.outbox"].search([("event_type", "=", "payroll.period_closed")])
        self.assertEqual((len(message), message.res_id), (1, period.id))
        data = json.loads(message.payload)["data"]
        self.assertEqual((data["date_from"], data["date_to"]), ("2025-03-17", "2025-03-23"))
        project = {"id": self.project.id, "external_ids": {"field": "P-1"}}
        employee = {"id": marco.id, "external_ids": {"field": "E-1"}}
        self.assertEqual(data["lines"], [
            {"employee": employee, "date": "2025-03-18", "project": project, "cost_code": "93 30 00",
             "pay_type": "regular", "hours": 8.0},
            {"employee": employee, "date": "2025-03-18", "project": project, "cost_code": "93 30 00",
             "pay_type": "overtime", "hours": 1.5},
        ])

    def test_hours_typed_in_a_closed_period_are_refused(self):
        marco = self.hire()
        line = self.env["account.analytic.line"].create({
            "name": "Punch list", "project_id": self.project.id, "employee_id": marco.id, "date": "2025-03-18",
            "unit_amount": 2.0})
        period = self.env["construction.payroll.period"].create(
            {"date_from": "2025-03-17", "date_to": "2025-03-23", "company_id": self.company.id})
        period.action_close()
        with self.assertRaises(UserError):
            line.unit_amount = 3.0
        with self.assertRaises(UserError):
            self.env["account.analytic.line"].create({
                "name": "Late entry", "project_id": self.project.id, "employee_id": marco.id, "date": "2025-03-19",
                "unit_amount": 1.0})
        line.name = "Punch list, level 2"
        period.action_reopen()
        line.unit_amount = 3.0
        self.assertEqual(line.amount, -171.0)
