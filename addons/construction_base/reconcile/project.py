"""What a project platform's snapshot of its projects carries, and how Odoo's side is read."""

from odoo.addons.construction_sync.sync.reconcile import ReconcileSpec


class ProjectSpec(ReconcileSpec):
    object_type = "project"
    object_model = "project.project"
    summary = "values: name, contract_value (the original contract value)."
    fields = {"name": "text", "contract_value": "money"}
    upsert_event_type = "project.upserted"

    def odoo_values(self, records):
        return {
            record["id"]: {"name": record["name"], "contract_value": record["original_contract_value"]}
            for record in records.read(["name", "original_contract_value"], load=None)
        }

    def upsert_data(self, record, external_id, source_values, external_id_of):  # pylint: disable=unused-argument
        name = source_values.get("name") or (record.name if record else None)
        if not name:
            return None
        data = {"id": external_id, "name": name}
        if "contract_value" in source_values:
            data["contract_value"] = source_values["contract_value"]
        return data


SPECS = [ProjectSpec]
