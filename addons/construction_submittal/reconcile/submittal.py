"""What a document-control system's snapshot of its submittals carries: status and revision."""

from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec


class SubmittalSpec(ReconcileSpec):
    object_type = "submittal"
    object_model = "construction.submittal"
    summary = "values: status (as in submittal.status_changed) and revision."
    fields = {"status": "text", "revision": "text"}

    def odoo_values(self, records):
        return {
            record["id"]: {"status": record["status"], "revision": record["revision"]}
            for record in records.read(["status", "revision"], load=None)
        }


SPECS = [SubmittalSpec]
