from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionSyncTrace(models.AbstractModel):
    """One business record's story across the integration: the inbound events that touched it,
    their audit entries, the outbound messages about it and their delivery attempts, in time
    order. Read with the user's own rights (the company rules apply)."""

    _name = "construction.sync.trace"
    _description = "Sync Trace of a Business Record"

    @api.model
    def get_trace(self, res_model, res_id):
        """[{at, kind, id, title, state, detail, system}] oldest first, where kind is one of
        inbound (an event that produced or is about the record), audit (a step of such an event),
        outbound (a message about the record), attempt (one delivery attempt of such a message)."""
        self.env["construction.sync.outbox"]._check_user()
        if res_model not in self.env:
            raise UserError(_("Unknown model %s.", res_model))
        record = self.env[res_model].browse(int(res_id)).exists()
        if not record:
            raise UserError(_("The %(model)s record %(id)s does not exist.", model=res_model, id=res_id))
        entries = []
        for event in self._inbound_events(record):
            entries.append({
                "at": event.received_at, "kind": "inbound", "id": event.id, "title": event.event_type,
                "state": event.state, "detail": event.webhook_id, "system": event.system_id.name,
                # The sender's correlation id (issue #19): what ties this record to its other systems.
                "correlation_id": event.correlation_id or "",
            })
            for audit in event.audit_ids:
                entries.append({
                    "at": audit.at, "kind": "audit", "id": audit.id,
                    "title": dict(audit._fields["action"]._description_selection(self.env)).get(audit.action),
                    "state": audit.to_state, "detail": audit.message or "", "system": event.system_id.name,
                    "correlation_id": event.correlation_id or "",
                })
        messages = self.env["construction.sync.outbox"].search(
            [("res_model", "=", res_model), ("res_id", "=", record.id)])
        for message in messages:
            entries.append({
                "at": message.created_at, "kind": "outbound", "id": message.id, "title": message.event_type,
                "state": message.state, "detail": message.webhook_id, "system": message.subscription_id.name,
                "correlation_id": "",
            })
            for attempt in message.attempt_ids:
                entries.append({
                    "at": attempt.at, "kind": "attempt", "id": attempt.id, "title": message.event_type,
                    "state": "delivered" if attempt.success else "failed",
                    "detail": "HTTP %s, %s ms%s" % (attempt.status, attempt.latency_ms,
                                                    ", %s" % attempt.error if attempt.error else ""),
                    "system": message.subscription_id.name, "correlation_id": "",
                })
        # To the second: outbound messages are stamped to the second, events and audits finer; within
        # one second what came in is listed before what went out.
        order = {"inbound": 0, "audit": 1, "outbound": 2, "attempt": 3}
        entries.sort(key=lambda entry: (entry["at"].replace(microsecond=0), order[entry["kind"]], entry["id"]))
        for entry in entries:
            entry["at"] = fields.Datetime.to_string(entry["at"])
        return entries

    @api.model
    def _inbound_events(self, record):
        """Events that produced the record, and events about the external objects mapped to it."""
        Event = self.env["construction.sync.event"]
        # "&" explicit: the mappings below prepend "|" terms, which must OR with both conditions.
        domain = ["&", ("res_model", "=", record._name), ("res_id", "=", record.id)]
        mappings = self.env["construction.sync.mapping"].search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)])
        for mapping in mappings:
            domain = ["|", "&", ("system_id", "=", mapping.system_id.id),
                      ("object_key", "=", "%s:%s" % (mapping.res_model, mapping.external_id))] + domain
        return Event.search(domain, order="received_at, id")
