import json

from odoo.tests import tagged

from .common import CrmCase


@tagged("post_install", "-at_install")
class TestWonOpportunity(CrmCase):

    def test_won_opportunity_creates_the_project_shell(self):
        lead = self.opportunity()
        self.assertFalse(lead.construction_project_id)
        lead.action_set_won()
        project = lead.construction_project_id
        self.assertEqual((project.name, project.partner_id, project.original_contract_value, project.retention_percent,
                          project.construction_lead_id),
                         ("Harbor View Clinic Fit-Out", self.customer, 487250.0, 5.0, lead))
        budget = project.budget_ids
        self.assertEqual((budget.version, budget.state, budget.amount_total), (1, "draft", 205500.5))
        self.assertEqual(sorted((item.cost_code_id.code, item.amount, item.quantity, item.unit or "")
                                for item in budget.item_ids),
                         [("93 30 00", 120000.0, 400.0, "CY"), ("94 20 00", 85500.5, 0.0, "")])
        self.assertEqual(self.Mapping._find(self.system, "project.project", "P-9").res_id, project.id)

    def test_expected_revenue_without_signed_amount(self):
        lead = self.opportunity(construction_signed_amount=0.0, construction_estimate_line_ids=[])
        lead.action_set_won()
        self.assertEqual(lead.construction_project_id.original_contract_value, 500000.0)
        self.assertFalse(lead.construction_project_id.budget_ids)

    def test_rewinning_or_editing_never_creates_a_second_project(self):
        lead = self.opportunity()
        lead.action_set_won()
        project = lead.construction_project_id
        lead.action_set_lost()
        lead.action_set_won()
        lead.write({"name": "Harbor View Clinic Fit-Out, phase 1", "expected_revenue": 900000.0})
        self.assertEqual(lead.construction_project_id, project)
        self.assertEqual(self.Project.search_count([("construction_lead_id", "=", lead.id)]), 1)
        self.assertEqual(project.original_contract_value, 487250.0)

    def test_open_opportunity_and_lead_create_nothing(self):
        lead = self.opportunity()
        lead.write({"expected_revenue": 600000.0})
        self.assertFalse(lead.construction_project_id)
        self.assertFalse(self.Project.search([("construction_lead_id", "=", lead.id)]))

    def test_project_platform_is_told_once(self):
        self.env["construction.sync.subscription"].create({
            "name": "Project platform", "system_id": self.system.id, "endpoint_url": "https://pm.example/hooks",
            "event_types": "project.created"})
        lead = self.opportunity()
        lead.action_set_won()
        lead.action_set_lost()
        lead.action_set_won()
        messages = self.env["construction.sync.outbox"].search([("event_type", "=", "project.created")])
        self.assertEqual(len(messages), 1)
        data = json.loads(messages.payload)["data"]
        self.assertEqual((data["id"], data["external_ids"], data["contract_value"], data["retention_percent"],
                          data["opportunity"]["id"]),
                         (lead.construction_project_id.id, {"field": "P-9"}, {"amount": 487250.0, "currency": "USD"},
                          5.0, lead.id))
        self.assertEqual(sorted((line["cost_code"], line["amount"]["amount"]) for line in data["budget"]),
                         [("93 30 00", 120000.0), ("94 20 00", 85500.5)])
