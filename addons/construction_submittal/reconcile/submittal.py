"""What a document-control system's snapshot of its submittals carries: status and revision."""

from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID
from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec


class SubmittalSpec(ReconcileSpec):
    """Submittals. The source's status and revision are taken through submittal.status_changed
    (the project and number of a known submittal are Odoo's); a submittal missing in Odoo is
    created when the snapshot also carries its project_id and number. A status of a revision
    older than Odoo's stays history, as the handler does for a late event."""

    object_type = "submittal"
    object_model = "construction.submittal"
    summary = ("values: status (as in submittal.status_changed) and revision; optionally project_id, number and "
               "title, so that a submittal missing in Odoo can be created from the snapshot.")
    fields = {"status": "text", "revision": "text"}
    upsert_event_type = "submittal.status_changed"
    upsert_values = {
        "project_id": EXTERNAL_ID,
        "number": {"type": "string", "minLength": 1, "maxLength": 64},
        "title": {"type": "string", "minLength": 1, "maxLength": 255},
    }

    def odoo_values(self, records):
        return {
            record["id"]: {"status": record["status"], "revision": record["revision"]}
            for record in records.read(["status", "revision"], load=None)
        }

    def upsert_data(self, record, external_id, source_values, external_id_of):
        values = source_values
        data = {
            "id": external_id,
            "project_id": values.get("project_id") or external_id_of(record and record.project_id),
            "number": values.get("number") or (record.number if record else None),
            "revision": str(values["revision"]) if values.get("revision") is not None
            else (record.revision if record else None),
            "status": values.get("status") or (record.status if record else None),
        }
        if not all(data.values()):
            return None
        if values.get("title"):
            data["title"] = values["title"]
        return data


SPECS = [SubmittalSpec]
