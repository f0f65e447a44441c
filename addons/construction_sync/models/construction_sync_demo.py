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

        for event_type, timestamp, data in DEMO_EVENTS:
            send({"type": event_type, "timestamp": timestamp, "data": data})
        # A payload the schema refuses: kept under Rejected Deliveries.
        send({"type": "partner.upserted", "timestamp": "2026-11-06T08:00:00Z",
              "data": {"id": "V-2003", "name": "", "kind": "supplier"}})
        self.env["construction.sync.processor"]._drain("realtime", commit=False)
        # Projects from this platform now wait for an accountant before they are applied.
        system.setting_ids.filtered(lambda s: s.event_type == "project.upserted").requires_approval = True
        send({"type": "project.upserted", "timestamp": "2026-11-07T15:00:00Z",
              "data": {"id": "P-400", "name": "Eastside Fire Station 7", "customer_id": "C-10",
                       "contract_value": 3310000.00, "retention_percent": 10}})
        self.env["construction.sync.processor"]._drain("realtime", commit=False)
        return True
