from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID

KINDS = ["customer", "vendor", "subcontractor"]


class PartnerUpserted(EventHandler):
    event_type = "partner.upserted"
    summary = "A customer, vendor or subcontractor was created or changed in the sending system."
    object_model = "res.partner"
    schema = {
        "type": "object",
        "required": ["id", "name", "kind"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "kind": {"type": "string", "enum": KINDS},
            "email": {"type": ["string", "null"], "format": "email"},
            "phone": {"type": ["string", "null"], "maxLength": 64},
            "vat": {"type": ["string", "null"], "maxLength": 32},
            "street": {"type": ["string", "null"]},
            "city": {"type": ["string", "null"]},
            "zip": {"type": ["string", "null"], "maxLength": 24},
            "country_code": {"type": ["string", "null"], "pattern": "^[A-Z]{2}$"},
        },
    }
    example = {"id": "V-2001", "name": "Ridgeline Concrete LLC", "kind": "subcontractor",
               "email": "ap@ridgeline.example", "phone": "+1 555 0100"}

    def prepare(self, ctx):
        kind = {"customer": ctx.env._("customer"), "vendor": ctx.env._("vendor"),
                "subcontractor": ctx.env._("subcontractor")}[ctx.data["kind"]]
        if ctx.find("res.partner", ctx.data["id"]):
            return ctx.env._("Update %(name)s (%(kind)s)", name=ctx.data["name"], kind=kind)
        return ctx.env._("Create %(name)s (%(kind)s)", name=ctx.data["name"], kind=kind)

    batchable = True

    def _values(self, ctx, partner):
        data = ctx.data
        values = {"name": data["name"], "is_company": True}
        for field in ("email", "phone", "vat", "street", "city", "zip"):
            if field in data:
                values[field] = data[field] or False
        if data.get("country_code"):
            country = ctx.env["res.country"].search([("code", "=", data["country_code"])], limit=1)
            values["country_id"] = country.id
        # Ranks only ever grow: a vendor that becomes a customer stays usable as a vendor.
        if data["kind"] == "customer":
            values["customer_rank"] = max(partner.customer_rank, 1)
        else:
            values["supplier_rank"] = max(partner.supplier_rank, 1)
        if data["kind"] == "subcontractor":
            values["is_subcontractor"] = True
        if not partner:
            # Owned by the system's company, like everything the system sends.
            values["company_id"] = ctx.company.id
        return values

    def apply(self, ctx):
        return self.apply_batch([ctx])[0]

    def apply_batch(self, contexts):
        partners = [ctx.find("res.partner", ctx.data["id"]) for ctx in contexts]
        new_values = []
        for ctx, partner in zip(contexts, partners):
            values = self._values(ctx, partner)
            if partner:
                partner.write(values)
            else:
                new_values.append(values)
        created = iter(contexts[0].env["res.partner"].create(new_values)) if new_values else iter(())
        return [partner or next(created) for partner in partners]


HANDLERS = [PartnerUpserted]
