"""A project billing by milestone (1 000 000.00 contract, 10 % retention) known to the field
system as P-1, with two billable milestones: 20 % and 30 % of the contract."""

from odoo.addons.construction_base.tests.common import FinanceCase


class MilestoneCase(FinanceCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project.write({"construction_bill_by_milestone": True, "allow_milestones": True})
        Milestone = cls.env["project.milestone"]
        cls.foundations = Milestone.create({"name": "Foundations complete", "project_id": cls.project.id,
                                            "construction_billable": True, "construction_billing_percent": 20.0})
        cls.topping_out = Milestone.create({"name": "Structure topped out", "project_id": cls.project.id,
                                            "construction_billable": True, "construction_billing_percent": 30.0})
        cls.Mapping.create({"system_id": cls.system.id, "res_model": "project.project", "external_id": "P-1",
                            "res_id": cls.project.id})

    def apply(self, event_type, data, **kwargs):
        event = self.deliver(event_type, data, **kwargs)
        self.drain()
        return event

    def complete(self, milestone_id="MS-1", name="Foundations complete", project_id="P-1", **extra):
        return self.apply("milestone.completed", {
            "id": milestone_id, "project_id": project_id, "name": name, "completed_on": "2026-11-13",
            "approved_by": "R. Chen, Owner's Representative", "approved_at": "2026-11-13T16:10:00Z", **extra})

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)
