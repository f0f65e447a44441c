"""A job of the finance world (P-1, 1 000 000.00, 10 % retention) known to the field system, a
carpenter at 40.00 an hour, and the company's labor burden of 30 % + 5.00 an hour: a regular hour
costs 40 x 1.3 + 5 = 57.00."""

from odoo import Command

from odoo.addons.construction_base.tests.common import FinanceCase


class WarrantyCase(FinanceCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({
            "construction_labor_burden_percent": 30.0, "construction_labor_burden_hourly": 5.0,
            "construction_overtime_multiplier": 1.5, "construction_double_time_multiplier": 2.0,
        })
        cls.project.company_id = cls.company
        cls.env["construction.payroll.period"].search([("company_id", "=", cls.company.id)]).unlink()
        for model, external_id, record in (("project.project", "P-1", cls.project),
                                           ("construction.cost.code", "CC-CONC", cls.cc_concrete),
                                           ("res.partner", "C-1", cls.customer)):
            cls.Mapping.create({"system_id": cls.system.id, "res_model": model, "external_id": external_id,
                                "res_id": record.id})

    def setUp(self):
        super().setUp()
        self.assertDone(self.apply("employee.upserted", {"id": "E-1", "name": "Marco Alvarez", "hourly_cost": 40.0}))

    def apply(self, event_type, data, **kwargs):
        event = self.deliver(event_type, data, **kwargs)
        self.drain()
        return event

    def complete(self, date="2026-11-20", timestamp="2026-11-20T15:00:00Z", **extra):
        return self.apply("project.completed", {"project_id": "P-1", "substantial_completion_date": date, **extra},
                          timestamp=timestamp)

    def ticket(self, timestamp="2026-11-25T09:00:00Z", **data):
        values = {"id": "SVC-1", "project_id": "P-1", "kind": "callback", "title": "Roof drain leaking",
                  "reported_on": "2026-12-01", "status": "open",
                  "time_entries": [{"employee_id": "E-1", "date": "2026-12-02", "hours": 3.5}]}
        values.update(data)
        return self.apply("service_ticket.upserted", values, timestamp=timestamp)

    def invoice_with_retention(self, amount=100000.0):
        """A posted progress invoice of `amount` withholding the project's 10 %."""
        move = self.env["account.move"].create({
            "move_type": "out_invoice", "partner_id": self.customer.id, "invoice_date": "2026-10-31",
            "construction_project_id": self.project.id, "retention_percent": 10.0,
            "invoice_line_ids": [Command.create({"name": "Progress billing", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.action_construction_apply_retention()
        move.action_post()
        return move

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)
