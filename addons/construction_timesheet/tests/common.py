"""The crew world of construction_timesheet's tests: the finance world's project and cost codes
known to the field system, a company labor burden, and helpers to deliver crew sheets."""

from odoo.addons.construction_base.tests.common import FinanceCase


class CrewCase(FinanceCase):
    """Burden 30 % + 5.00 per hour, overtime x1.5, double time x2.0. A 40.00 wage loads to
    40 x 1.3 + 5 = 57.00 regular, 60 x 1.3 + 5 = 83.00 overtime, 80 x 1.3 + 5 = 109.00 double time;
    a 30.00 wage to 44.00 regular."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "construction_labor_burden_percent": 30.0, "construction_labor_burden_hourly": 5.0,
            "construction_overtime_multiplier": 1.5, "construction_double_time_multiplier": 2.0,
        })
        cls.project.company_id = cls.company
        # The demo company's pay periods would overlap the tests' own.
        cls.env["construction.payroll.period"].search([("company_id", "=", cls.company.id)]).unlink()
        for model, external_id, record in (
            ("project.project", "P-1", cls.project),
            ("construction.cost.code", "CC-CONC", cls.cc_concrete),
            ("construction.cost.code", "CC-MAS", cls.cc_masonry),
        ):
            cls.Mapping.create({"system_id": cls.system.id, "res_model": model, "external_id": external_id,
                                "res_id": record.id})
        cls.column = cls.env["construction.cost.code"]._plan()._column_name()

    def apply(self, event_type, data, **kwargs):
        event = self.deliver(event_type, data, **kwargs)
        self.drain()
        return event

    def hire(self, external_id="E-1", name="Marco Alvarez", wage=40.0, **kwargs):
        event = self.apply("employee.upserted", {"id": external_id, "name": name, "hourly_cost": wage}, **kwargs)
        self.assertDone(event)
        return event.record_ref

    def sheet(self, lines, sheet_id="CS-1", date="2026-11-18", timestamp="2026-11-18T17:00:00Z"):
        return self.apply("timesheet.approved", {"id": sheet_id, "project_id": "P-1", "date": date,
                                                 "approved_by": "Dana Ortiz", "lines": lines}, timestamp=timestamp)

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)

    def lines_of(self, sheet):
        return sorted((line.employee_id.name, line[self.column].name, line.construction_pay_type, line.unit_amount,
                       line.amount) for line in sheet.timesheet_ids)
