from odoo.tests import tagged

from .common import CrmCase

WON = {"id": "OPP-1", "name": "Harbor View Clinic Fit-Out", "customer_id": "C-1", "expected_revenue": 1250000.0,
       "signed_amount": 1238500.0, "retention_percent": 10, "currency": "USD", "project_id": "P-500",
       "estimate": [{"cost_code_id": "CC-1", "amount": 210000.0, "quantity": 850, "unit": "CY"}]}


@tagged("post_install", "-at_install")
class TestOpportunityWonEvent(CrmCase):

    def setUp(self):
        super().setUp()
        self.apply("cost_code.upserted", {"id": "CC-1", "code": "95 11 00", "name": "Concrete Forming"})

    def test_event_waits_for_the_customer_then_creates_the_project_once(self):
        waiting = self.apply("opportunity.won", WON)
        self.assertEqual((waiting.error_class, waiting.waiting_for), ("data", "res.partner:C-1"))
        self.apply("partner.upserted", {"id": "C-1", "name": "Harbor View Health", "kind": "customer"})
        self.drain()
        self.assertDone(waiting)
        lead = waiting.record_ref
        project = lead.construction_project_id
        self.assertTrue(lead.stage_id.is_won)
        self.assertEqual((project.partner_id.name, project.original_contract_value, project.retention_percent),
                         ("Harbor View Health", 1238500.0, 10.0))
        self.assertEqual(project.budget_ids.amount_total, 210000.0)
        self.assertEqual(self.Mapping._find(self.system, "project.project", "P-500").res_id, project.id)
        self.assertEqual(self.Mapping._find(self.system, "crm.lead", "OPP-1").res_id, lead.id)

        # The CRM sends the win again (a replay, then an edit): the same project, unchanged.
        again = self.apply("opportunity.won", WON)
        edited = self.apply("opportunity.won", {**WON, "signed_amount": 1300000.0}, timestamp="2026-11-24T08:00:00Z")
        self.assertDone(again)
        self.assertDone(edited)
        self.assertEqual(edited.record_ref, lead)
        self.assertEqual(self.Project.search_count([("construction_lead_id", "=", lead.id)]), 1)
        self.assertEqual(project.original_contract_value, 1238500.0)
        self.assertEqual(lead.construction_signed_amount, 1300000.0)

    def test_other_currency_is_a_business_error(self):
        self.apply("partner.upserted", {"id": "C-1", "name": "Harbor View Health", "kind": "customer"})
        event = self.apply("opportunity.won", {**WON, "currency": "CAD"})
        self.assertEqual(event.error_class, "business")
        self.assertFalse(self.Mapping._find(self.system, "project.project", "P-500"))
        self.assertFalse(self.Mapping._find(self.system, "crm.lead", "OPP-1").res_id)
