from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

KINDS = ["customer", "vendor", "subcontractor"]


class TestContactUpserted(EventHandler):
    """Batchable master data, like construction_base's partner.upserted."""

    event_type = "test_contact.upserted"
    summary = "Test only: a contact (customer, vendor or subcontractor) was created or changed in the sending system."
    object_model = "construction.sync.test.contact"
    schema = {
        "type": "object",
        "required": ["id", "name", "kind"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "kind": {"type": "string", "enum": KINDS},
            "email": {"type": ["string", "null"], "format": "email"},
            "phone": {"type": ["string", "null"], "maxLength": 64},
        },
    }
    example = {"id": "V-2001", "name": "Ridgeline Concrete LLC", "kind": "subcontractor",
               "email": "ap@ridgeline.example", "phone": "+1 555 0100"}

    def prepare(self, ctx):
        return "%s %s (%s)" % ("Update" if ctx.find(self.object_model, ctx.data["id"]) else "Create",
                               ctx.data["name"], ctx.data["kind"])

    batchable = True

    def _values(self, ctx, contact):
        data = ctx.data
        values = {"name": data["name"]}
        for field in ("email", "phone"):
            if field in data:
                values[field] = data[field] or False
        # Ranks only ever grow: a vendor that becomes a customer stays usable as a vendor.
        if data["kind"] == "customer":
            values["customer_rank"] = max(contact.customer_rank, 1)
        else:
            values["supplier_rank"] = max(contact.supplier_rank, 1)
        if data["kind"] == "subcontractor":
            values["is_subcontractor"] = True
        if not contact:
            # Owned by the system's company, like everything the system sends.
            values["company_id"] = ctx.company.id
        return values

    def apply(self, ctx):
        return self.apply_batch([ctx])[0]

    def apply_batch(self, contexts):
        contacts = [ctx.find(self.object_model, ctx.data["id"]) for ctx in contexts]
        new_values = []
        for ctx, contact in zip(contexts, contacts):
            values = self._values(ctx, contact)
            if contact:
                contact.write(values)
            else:
                new_values.append(values)
        created = iter(contexts[0].env[self.object_model].create(new_values)) if new_values else iter(())
        return [contact or next(created) for contact in contacts]


HANDLERS = [TestContactUpserted]
