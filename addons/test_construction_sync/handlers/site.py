from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.registry import EventHandler
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY, PERCENT

CONTACT_MODEL = "construction.sync.test.contact"


class TestSiteUpserted(EventHandler):
    """An object referencing another by external id, with a business rule, like
    construction_base's project.upserted. Its approval gate takes the default right (integration
    managers): it names no approval_group."""

    event_type = "test_site.upserted"
    summary = "Test only: a site, referencing its customer contact by external id, was created or changed."
    object_model = "construction.sync.test.site"
    schema = {
        "type": "object",
        "required": ["id", "name"],
        "properties": {
            "id": EXTERNAL_ID,
            "name": {"type": "string", "minLength": 1, "maxLength": 255},
            "customer_id": {**EXTERNAL_ID, "type": ["string", "integer", "null"],
                            "description": "External id of the customer (see test_contact.upserted)."},
            "contract_value": {**MONEY, "minimum": 0},
            "retention_percent": PERCENT,
            "currency": {"type": "string", "format": "currency"},
        },
    }
    example = {"id": "P-100", "name": "Riverside Medical Office Building", "customer_id": "C-10",
               "contract_value": 4850000.00, "retention_percent": 10, "currency": "USD"}

    def _values(self, ctx):
        data = ctx.data
        values = {"name": data["name"], "company_id": ctx.company.id}
        if data.get("customer_id") not in (None, ""):
            values["customer_id"] = ctx.resolve(CONTACT_MODEL, data["customer_id"], "customer").id
        if "currency" in data and data["currency"] != ctx.company.currency_id.name:
            raise SyncBusinessError(
                "Site %s is in %s but %s keeps its books in %s: sites in another currency "
                "are not supported." % (data["id"], data["currency"], ctx.company.name, ctx.company.currency_id.name)
            )
        if "contract_value" in data:
            values["contract_value"] = data["contract_value"]
        if "retention_percent" in data:
            values["retention_percent"] = data["retention_percent"]
        return values

    def prepare(self, ctx):
        self._values(ctx)
        return "%s site %s" % ("Update" if ctx.find(self.object_model, ctx.data["id"]) else "Create", ctx.data["name"])

    def apply(self, ctx):
        values = self._values(ctx)
        site = ctx.find(self.object_model, ctx.data["id"])
        if site:
            site.write(values)
        else:
            site = ctx.env[self.object_model].create(values)
        return site


HANDLERS = [TestSiteUpserted]
