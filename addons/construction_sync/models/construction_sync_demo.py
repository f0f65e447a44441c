import json
import time
import uuid

from odoo import api, models

from ..sync import signature

DEMO_EVENTS = [
    ("partner.upserted", "2026-11-02T14:00:00Z",
     {"id": "C-10", "name": "Harbor Health Partners", "kind": "customer", "email": "ap@harborhealth.example"}),
    ("partner.upserted", "2026-11-02T14:01:00Z",
     {"id": "V-2001", "name": "Ridgeline Concrete LLC", "kind": "subcontractor", "email": "ar@ridgeline.example"}),
    ("partner.upserted", "2026-11-02T14:02:00Z",
     {"id": "V-2002", "name": "Summit Steel Erectors", "kind": "subcontractor"}),
    ("project.upserted", "2026-11-03T09:00:00Z",
     {"id": "P-100", "name": "Riverside Medical Office Building", "customer_id": "C-10",
      "contract_value": 4850000.00, "retention_percent": 10}),
    # The customer of this one has not been sent yet: a data error that waits.
    ("project.upserted", "2026-11-04T10:30:00Z",
     {"id": "P-200", "name": "Northgate Parking Structure", "customer_id": "C-20",
      "contract_value": 2175000.00, "retention_percent": 5}),
    # Another currency than the company's: a business error for a person.
    ("project.upserted", "2026-11-05T11:00:00Z",
     {"id": "P-300", "name": "Lakeside School Gym", "customer_id": "C-10", "contract_value": 900000.00,
      "currency": "CAD"}),
]

# The Riverside job as the project platform sends it: its cost codes, two subcontracts, a pay
# request, and change orders (the README's examples are these very payloads).
FINANCE_EVENTS = [
    ("cost_code.upserted", "2026-11-03T09:10:00Z", {"id": "CC-033000", "code": "03 30 00", "name": "Cast-in-Place Concrete"}),
    ("cost_code.upserted", "2026-11-03T09:11:00Z", {"id": "CC-051200", "code": "05 12 00", "name": "Structural Steel Framing"}),
    ("cost_code.upserted", "2026-11-03T09:12:00Z", {"id": "CC-211300", "code": "21 13 00", "name": "Fire-Suppression Sprinklers"}),
    ("cost_code.upserted", "2026-11-03T09:13:00Z", {"id": "CC-099100", "code": "09 91 00", "name": "Painting"}),
    ("commitment.approved", "2026-11-04T08:00:00Z", {
        "id": "SC-3105", "project_id": "P-100", "vendor_id": "V-2001", "number": "SC-3105", "retention_percent": 10,
        "lines": [{"id": "SC-3105-1", "cost_code_id": "CC-033000", "description": "Foundations and slabs",
                   "quantity": 1, "unit_price": 412000.00},
                  {"id": "SC-3105-2", "cost_code_id": "CC-033000", "description": "Pump truck days",
                   "quantity": 12, "unit_price": 1450.00}]}),
    ("commitment.approved", "2026-11-04T08:30:00Z", {
        "id": "SC-3120", "project_id": "P-100", "vendor_id": "V-2002", "number": "SC-3120", "retention_percent": 5,
        "lines": [{"id": "SC-3120-1", "cost_code_id": "CC-051200", "description": "Steel frame, erected",
                   "quantity": 1, "unit_price": 687500.00}]}),
    ("subcontractor_invoice.received", "2026-11-20T10:00:00Z", {
        "id": "INV-88412", "commitment_id": "SC-3105", "vendor_reference": "RC-2026-118", "invoice_date": "2026-11-20",
        "lines": [{"commitment_line_id": "SC-3105-1", "amount": 103000.00},
                  {"commitment_line_id": "SC-3105-2", "amount": 5800.00}]}),
    ("change_order.approved", "2026-11-18T16:00:00Z", {
        "id": "CO-7781", "project_id": "P-100", "number": "PCO-014", "title": "Add fire sprinkler zone, level 3",
        "kind": "prime",
        "lines": [{"cost_code_id": "CC-211300", "description": "Sprinkler mains and heads", "amount": 48250.00,
                   "budget_amount": 41000.00},
                  {"cost_code_id": "CC-099100", "description": "Patch and paint ceilings", "amount": 3120.50}]}),
    ("change_order.approved", "2026-11-19T09:00:00Z", {
        "id": "CO-7785", "project_id": "P-100", "number": "SCO-003", "title": "Added embed plates",
        "kind": "commitment", "commitment_id": "SC-3120",
        "lines": [{"cost_code_id": "CC-051200", "description": "Embed plates at level 2 slab", "amount": 12400.00}]}),
    ("progress_billing.certified", "2026-11-22T09:00:00Z", {
        "id": "PA-100-1", "project_id": "P-100", "application_number": 1, "period_end": "2026-10-31",
        "retention_percent": 10, "materials_retention_percent": 5,
        "lines": [{"cost_code_id": "CC-033000", "description": "Cast-in-place concrete", "scheduled_value": 520000.00,
                   "work_completed_this_period": 124800.00, "materials_stored": 0},
                  {"cost_code_id": "CC-051200", "description": "Structural steel", "scheduled_value": 790000.00,
                   "work_completed_this_period": 0, "materials_stored": 96500.00}]}),
    ("change_order.rejected", "2026-11-21T11:00:00Z", {
        "id": "CO-7790", "project_id": "P-100", "number": "PCO-015", "title": "Upgrade lobby finishes",
        "kind": "prime", "reason": "Owner keeps the base finishes.",
        "lines": [{"cost_code_id": "CC-099100", "description": "Terrazzo instead of tile", "amount": 27400.00}]}),
]

BUDGET = {"CC-033000": 455000.00, "CC-051200": 720000.00, "CC-211300": 0.0, "CC-099100": 96000.00}


class ConstructionSyncSystemDemo(models.Model):
    _inherit = "construction.sync.system"

    @api.model
    def _demo_deliver(self, system_id):
        system = self.browse(system_id)
        intake = self.env["construction.sync.intake"]
        secret = system.sudo().secret

        def send(document, batch=False):
            body = json.dumps(document).encode()
            webhook_id = "demo_%s" % uuid.uuid4().hex
            timestamp = int(time.time())
            headers = {
                "webhook-id": webhook_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signature.sign(secret, webhook_id, timestamp, body),
            }
            return intake._receive(system.code, batch, "POST", headers, "application/json", len(body), lambda limit: body)

        for event_type, timestamp, data in DEMO_EVENTS + FINANCE_EVENTS:
            send({"type": event_type, "timestamp": timestamp, "data": data})
        # A payload the schema refuses: kept under Rejected Deliveries.
        send({"type": "partner.upserted", "timestamp": "2026-11-06T08:00:00Z",
              "data": {"id": "V-2003", "name": "", "kind": "supplier"}})
        self.env["construction.sync.processor"]._drain("realtime", commit=False)
        self._demo_finance(system)
        # Projects from this platform now wait for an accountant before they are applied.
        system.setting_ids.filtered(lambda s: s.event_type == "project.upserted").requires_approval = True
        send({"type": "project.upserted", "timestamp": "2026-11-07T15:00:00Z",
              "data": {"id": "P-400", "name": "Eastside Fire Station 7", "customer_id": "C-10",
                       "contract_value": 3310000.00, "retention_percent": 10}})
        self.env["construction.sync.processor"]._drain("realtime", commit=False)
        return True

    @api.model
    def _demo_finance(self, system):
        """What the accountants did with the Riverside job's events: a manager accepted the
        change orders and the pay application waiting for approval, accounts payable posted the subcontractor's bill,
        and the budget was entered by hand."""
        Mapping = self.env["construction.sync.mapping"]
        manager = self.env.ref("base.user_admin")
        waiting = self.env["construction.sync.event"].search(
            [("system_id", "=", system.id), ("state", "=", "awaiting_approval"),
             ("event_type", "in", ("change_order.approved", "progress_billing.certified"))],
            order="source_timestamp")
        for event in waiting:
            event.with_user(manager).action_accept()
        bill = Mapping._find(system, "account.move", "INV-88412").record_ref
        if bill and bill.state == "draft":
            bill.action_post()
        project = Mapping._find(system, "project.project", "P-100").record_ref
        for external_id, amount in BUDGET.items():
            cost_code = Mapping._find(system, "construction.cost.code", external_id).record_ref
            if not (project and cost_code):
                continue
            Budget = self.env["construction.budget.line"]
            line = Budget.search([("project_id", "=", project.id), ("cost_code_id", "=", cost_code.id)])
            if line:
                line.original_amount = amount
            else:
                Budget.create({"project_id": project.id, "cost_code_id": cost_code.id, "original_amount": amount})
