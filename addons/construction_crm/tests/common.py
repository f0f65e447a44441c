"""The sales side of construction_crm's tests: an opportunity with an estimate, on the finance world."""

from odoo import Command

from odoo.addons.construction_base.tests.common import FinanceCase


class CrmCase(FinanceCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Lead = cls.env["crm.lead"]
        cls.Project = cls.env["project.project"]

    def opportunity(self, **values):
        return self.Lead.create({
            "name": "Harbor View Clinic Fit-Out", "type": "opportunity", "partner_id": self.customer.id,
            "expected_revenue": 500000.0, "construction_signed_amount": 487250.0,
            "construction_retention_percent": 5.0, "construction_system_id": self.system.id,
            "construction_project_ref": "P-9",
            "construction_estimate_line_ids": [
                Command.create({"cost_code_id": self.cc_concrete.id, "amount": 120000.0, "quantity": 400,
                                "unit": "CY"}),
                Command.create({"cost_code_id": self.cc_masonry.id, "amount": 85500.5}),
            ],
            **values,
        })

    def apply(self, event_type, data, **kwargs):
        event = self.deliver(event_type, data, **kwargs)
        self.drain()
        return event

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)
