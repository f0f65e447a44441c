from odoo.addons.construction_sync.sync.outbound import OutboundEvent, external_ids

# A vendor's fields the field systems keep; a change to another field publishes nothing.
VENDOR_FIELDS = ("name", "email", "phone", "vat", "street", "city", "zip", "country_id", "is_subcontractor",
                 "supplier_rank", "active")


class VendorUpserted(OutboundEvent):
    type = "vendor.upserted"
    model = "res.partner"
    description = "A partner became a vendor or subcontractor in Odoo, or a vendor's details changed."
    schema_version = 1
    schema = {
        "type": "object",
        "required": ["id", "external_ids", "name", "kind", "active"],
        "properties": {
            "id": {"type": "integer"},
            "external_ids": {"type": "object"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["vendor", "subcontractor"]},
            "email": {"type": ["string", "null"]},
            "phone": {"type": ["string", "null"]},
            "vat": {"type": ["string", "null"]},
            "street": {"type": ["string", "null"]},
            "city": {"type": ["string", "null"]},
            "zip": {"type": ["string", "null"]},
            "country_code": {"type": ["string", "null"]},
            "active": {"type": "boolean"},
        },
    }
    example = {"id": 42, "external_ids": {"field": "V-2001"}, "name": "Ridgeline Concrete LLC",
               "kind": "subcontractor", "email": "ap@ridgeline.example", "phone": None, "vat": None,
               "street": None, "city": "Denver", "zip": None, "country_code": "US", "active": True}
    fields = ("name", "email", "phone", "vat", "street", "city", "zip", "country_id", "is_subcontractor", "active")

    def payload(self, record):
        return self.payloads(record)[0]

    def payloads(self, records):
        # A column at a time: vendor lists are imported and published thousands at once.
        columns = {name: records.mapped(name)
                   for name in ("name", "email", "phone", "vat", "street", "city", "zip", "is_subcontractor",
                                "active")}
        codes = {country.id: country.code for country in records.mapped("country_id")}
        return [
            {
                "id": record.id,
                "external_ids": external_ids(record),
                "name": columns["name"][index],
                "kind": "subcontractor" if columns["is_subcontractor"][index] else "vendor",
                "email": columns["email"][index] or None,
                "phone": columns["phone"][index] or None,
                "vat": columns["vat"][index] or None,
                "street": columns["street"][index] or None,
                "city": columns["city"][index] or None,
                "zip": columns["zip"][index] or None,
                "country_code": codes.get(record.country_id.id) or None,
                "active": columns["active"][index],
            }
            for index, record in enumerate(records)
        ]


PUBLISHERS = [VendorUpserted]
