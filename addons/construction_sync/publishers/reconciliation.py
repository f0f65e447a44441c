from ..sync.outbound import OutboundEvent

_SCHEMA = {
    "type": "object",
    "required": ["system", "object_type", "object_external_id", "kind"],
    "properties": {
        "system": {"type": "string", "description": "Code of the external system the difference is with."},
        "object_type": {"type": "string", "description": "The snapshot type, e.g. project."},
        "object_external_id": {"type": "string"},
        "kind": {"type": "string", "enum": ["missing_in_odoo", "unknown_at_source", "older_in_odoo",
                                            "value_mismatch"]},
        "field": {"type": ["string", "null"]},
        "source_value": {"description": "The value the snapshot carried (JSON)."},
        "odoo_value": {"description": "The value Odoo holds (JSON)."},
        "snapshot_id": {"type": ["string", "null"]},
        "odoo_values": {"type": ["object", "null"],
                        "description": "Every value of the object's type as Odoo holds it now (null when Odoo "
                                       "has no record)."},
    },
}


def _payload(record):
    spec = record.env["construction.sync.reconcile"]._spec(record.object_type)
    target = record._record() if spec else None
    return {
        "system": record.system_id.code,
        "object_type": record.object_type,
        "object_external_id": record.external_id,
        "kind": record.kind,
        "field": record.field_name or None,
        "source_value": record.source_value or None,
        "odoo_value": record.odoo_value or None,
        "snapshot_id": record.last_run_id.snapshot_id or None,
        "odoo_values": spec.odoo_values(target).get(target.id) if target else None,
    }


class ResendRequested(OutboundEvent):
    type = "reconciliation.resend_requested"
    model = "construction.sync.difference"
    description = ("Odoo asks the system to send one object again: its nightly snapshot and Odoo disagree "
                   "about it (an event probably got lost).")
    schema = _SCHEMA
    example = {"system": "fieldlink", "object_type": "project", "object_external_id": "P-100",
               "kind": "missing_in_odoo", "field": None, "source_value": None, "odoo_value": None,
               "snapshot_id": "S-2026-11-28"}

    def payload(self, record):
        return _payload(record)

    def object_key(self, record):
        return "%s:%s" % (record.object_type, record.external_id)


class ValueKept(OutboundEvent):
    type = "reconciliation.value_kept"
    model = "construction.sync.difference"
    description = ("An accountant decided Odoo's value is right where the system's snapshot disagrees: "
                   "odoo_value is the value to adopt.")
    schema = _SCHEMA
    example = {"system": "fieldlink", "object_type": "project", "object_external_id": "P-100",
               "kind": "value_mismatch", "field": "contract_value", "source_value": "4850000.0",
               "odoo_value": "4900000.0", "snapshot_id": "S-2026-11-28"}

    def payload(self, record):
        return _payload(record)

    def object_key(self, record):
        return "%s:%s" % (record.object_type, record.external_id)


PUBLISHERS = [ResendRequested, ValueKept]
