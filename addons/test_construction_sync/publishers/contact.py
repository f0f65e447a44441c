from odoo.addons.construction_sync.sync.outbound import OutboundEvent, external_ids


class TestContactChanged(OutboundEvent):
    type = "test_contact.changed"
    model = "construction.sync.test.contact"
    description = "Test only: a test contact changed."
    schema_version = 2
    schema = {
        "type": "object",
        "required": ["id", "external_ids", "name"],
        "properties": {"id": {"type": "integer"}, "external_ids": {"type": "object"}, "name": {"type": "string"}},
    }

    def payload(self, record):
        return {"id": record.id, "external_ids": external_ids(record), "name": record.name}


class TestContactRated(TestContactChanged):
    type = "test_contact.rated"
    description = "Test only: another type about the same records (subscription type filters)."


PUBLISHERS = [TestContactChanged, TestContactRated]
