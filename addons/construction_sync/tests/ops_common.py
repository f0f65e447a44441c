import json
from datetime import timedelta

from odoo import fields

from .common import SyncCase


class OpsCase(SyncCase):
    """The shared world plus events written straight into the inbox at chosen moments and states:
    alerts and anomalies read received times, states and the hourly rollup, not how events came."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["construction.sync.alert.rule"]
        cls.Alert = cls.env["construction.sync.alert"]
        cls.Rule._ensure_defaults()
        cls.rules = cls.Rule.search([("system_id", "=", cls.system.id)])
        cls.rules.write({"tz": "UTC", "user_ids": [(6, 0, cls.user_manager.ids)]})
        cls.sequence = 0

    @classmethod
    def rule(cls, kind):
        return cls.rules.filtered(lambda r: r.kind == kind)

    def add_events(self, count, received_at, state="done", event_type="partner.upserted", error_class=False,
                   error_message=False, waiting_for=False, finished_at=None, system=None):
        """`count` events received at `received_at`, or one at each moment when it is a list."""
        system = system or self.system
        moments = received_at if isinstance(received_at, list) else [received_at] * count
        vals = []
        for received_at in moments:
            type(self).sequence += 1
            vals.append({
                "system_id": system.id, "company_id": system.company_id.id,
                "webhook_id": "ops-%s" % self.sequence, "event_type": event_type,
                "payload": json.dumps({"type": event_type, "data": {}}), "source_timestamp": received_at,
                "processing_mode": "realtime", "state": state, "received_at": received_at,
                "finished_at": finished_at, "error_class": error_class, "error_message": error_message,
                "waiting_for": waiting_for,
            })
        return self.Event.sudo().create(vals)

    def ago(self, **kwargs):
        return fields.Datetime.now() - timedelta(**kwargs)

    def evaluate(self, kinds):
        return self.Alert._evaluate(self.rules.filtered(lambda r: r.kind in kinds))
