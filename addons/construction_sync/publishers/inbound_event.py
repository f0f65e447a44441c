from ..sync.outbound import OutboundEvent


class InboundEventRejected(OutboundEvent):
    type = "inbound_event.rejected"
    model = "construction.sync.event"
    description = ("An accountant rejected an item the receiving system sent (an approval gate): its "
                   "webhook id, event type, external object and the reason given.")
    schema_version = 1
    schema = {
        "type": "object",
        "required": ["webhook_id", "event_type", "system", "object_external_id", "reason", "rejected_by"],
        "properties": {
            "webhook_id": {"type": "string", "description": "The id the item was delivered with."},
            "event_type": {"type": "string"},
            "system": {"type": "string", "description": "Code of the external system that sent the item."},
            "object_external_id": {"type": ["string", "null"]},
            "reason": {"type": "string"},
            "rejected_by": {"type": "string"},
            "rejected_at": {"type": "string", "format": "date-time"},
        },
    }
    example = {"webhook_id": "msg_2Kq", "event_type": "change_order.submitted", "system": "field",
               "object_external_id": "CO-17", "reason": "Duplicate of CO-12", "rejected_by": "Ann Accountant",
               "rejected_at": "2026-11-23T09:00:00Z"}

    def payload(self, record):
        return {
            "webhook_id": record.webhook_id,
            "event_type": record.event_type,
            "system": record.system_id.code,
            "object_external_id": (record.object_key or "").partition(":")[2] or None,
            "reason": record.env.context.get("construction_sync_reject_reason") or record.error_message or "",
            "rejected_by": record.env.user.name,
            "rejected_at": record.write_date.isoformat() + "Z",
        }

    def object_key(self, record):
        return "%s:%s" % (record._name, record.id)
