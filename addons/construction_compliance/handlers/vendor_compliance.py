from odoo.tools.translate import LazyTranslate

from odoo.addons.construction_sync.sync.errors import SyncBusinessError
from odoo.addons.construction_sync.sync.fragments import EXTERNAL_ID, MONEY
from odoo.addons.construction_sync.sync.registry import EventHandler

from ..models.construction_compliance_document import STATUSES
from ..models.construction_compliance_rule import DOCUMENT_TYPES

_lt = LazyTranslate(__name__)

DATE_OR_NULL = {"type": ["string", "null"], "format": "date"}


class VendorComplianceUpdated(EventHandler):
    """The compliance platform reviewed a vendor's documents: the vendor is enrolled in the
    company's compliance tracking, its certificates and lien waivers are created or updated (by
    their own external ids; those the event does not name stay). Events held by the vendor's
    non-compliance are released by the engine as soon as this one is applied (they wait for the
    vendor's compliance object this event maps), and apply or wait again with the new reason."""

    event_type = "vendor_compliance.updated"
    summary = ("A vendor's insurance certificates, licences, tax forms or lien waivers changed in the compliance "
               "platform.")
    object_model = "construction.vendor.compliance"
    schema = {
        "type": "object",
        "required": ["vendor_id"],
        "properties": {
            "vendor_id": {**EXTERNAL_ID, "description": "External id of the vendor (see partner.upserted)."},
            "documents": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "type", "status"],
                    "properties": {
                        "id": EXTERNAL_ID,
                        "type": {"type": "string", "enum": [key for key, _label in DOCUMENT_TYPES]},
                        "reference": {"type": ["string", "null"], "maxLength": 128},
                        "insurer": {"type": ["string", "null"], "maxLength": 128},
                        "coverage_amount": {**MONEY, "minimum": 0},
                        "effective_date": DATE_OR_NULL,
                        "expiry_date": DATE_OR_NULL,
                        "status": {"type": "string", "enum": [key for key, _label in STATUSES]},
                    },
                },
            },
            "lien_waivers": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "project_id", "bill_id", "type", "scope", "through_date", "amount"],
                    "properties": {
                        "id": EXTERNAL_ID,
                        "project_id": EXTERNAL_ID,
                        "bill_id": {
                            **EXTERNAL_ID,
                            "description": "The subcontractor invoice whose payment it covers "
                                           "(see subcontractor_invoice.received).",
                        },
                        "type": {"type": "string", "enum": ["conditional", "unconditional"]},
                        "scope": {"type": "string", "enum": ["progress", "final"]},
                        "through_date": {"type": "string", "format": "date"},
                        "amount": {**MONEY, "minimum": 0},
                        "status": {"type": "string", "enum": [key for key, _label in STATUSES]},
                    },
                },
            },
        },
    }
    example = {
        "vendor_id": "V-2001",
        "documents": [
            {"id": "COI-5531", "type": "general_liability", "reference": "GL-88-2027", "insurer": "Keystone Mutual",
             "coverage_amount": 2000000.00, "effective_date": "2026-12-01", "expiry_date": "2027-11-30",
             "status": "accepted"},
        ],
        "lien_waivers": [
            {"id": "LW-7710", "project_id": "P-100", "bill_id": "INV-88412", "type": "conditional",
             "scope": "progress", "through_date": "2026-11-30", "amount": 98010.00, "status": "accepted"},
        ],
    }

    def object_external_id(self, data):
        return data["vendor_id"]

    def _resolve(self, ctx):
        data = ctx.data
        vendor = ctx.resolve("res.partner", data["vendor_id"], _lt("vendor")).commercial_partner_id
        waivers = []
        for waiver in data.get("lien_waivers") or []:
            project = ctx.resolve("project.project", waiver["project_id"], _lt("project"))
            bill = ctx.resolve("account.move", waiver["bill_id"], _lt("subcontractor invoice"))
            if bill.commercial_partner_id != vendor:
                raise SyncBusinessError(ctx.env._(
                    "Lien waiver %(waiver)s is for bill %(bill)s of %(owner)s, not of %(vendor)s.",
                    waiver=waiver["id"], bill=bill.ref or bill.name, owner=bill.partner_id.display_name,
                    vendor=vendor.display_name,
                ))
            waivers.append((waiver, project, bill))
        return vendor, waivers

    def prepare(self, ctx):
        vendor, waivers = self._resolve(ctx)
        return ctx.env._("Update the compliance of %(vendor)s: %(documents)s documents, %(waivers)s lien waivers",
                         vendor=vendor.display_name, documents=len(ctx.data.get("documents") or []),
                         waivers=len(waivers))

    def apply(self, ctx):
        vendor, waivers = self._resolve(ctx)
        # The engine's mapping of this event's object releases the events waiting for the vendor.
        env = ctx.env(context=dict(ctx.env.context, construction_compliance_from_event=True))
        Compliance = env["construction.vendor.compliance"]
        profile = Compliance._of(vendor, ctx.company).with_env(env) or Compliance.create(
            {"partner_id": vendor.id, "company_id": ctx.company.id})
        for document in ctx.data.get("documents") or []:
            values = {
                "document_type": document["type"], "status": document["status"],
                "reference": document.get("reference") or False, "insurer": document.get("insurer") or False,
                "coverage_amount": document.get("coverage_amount") or 0.0,
                "effective_date": document.get("effective_date") or False,
                "expiry_date": document.get("expiry_date") or False,
            }
            self._upsert(ctx, env, "construction.compliance.document", document["id"], profile, values)
        for waiver, project, bill in waivers:
            values = {
                "project_id": project.id, "bill_id": bill.id, "waiver_type": waiver["type"], "scope": waiver["scope"],
                "through_date": waiver["through_date"], "amount": waiver["amount"],
                "status": waiver.get("status") or "accepted",
            }
            self._upsert(ctx, env, "construction.lien.waiver", waiver["id"], profile, values)
        return profile

    def _upsert(self, ctx, env, model, external_id, profile, values):
        record = ctx.find(model, external_id).with_env(env)
        if record and record.vendor_compliance_id != profile:
            raise SyncBusinessError(ctx.env._(
                "%(id)s belongs to the compliance of %(owner)s, not of %(vendor)s.",
                id=external_id, owner=record.partner_id.display_name, vendor=profile.partner_id.display_name,
            ))
        if record:
            record.write(values)
        else:
            record = env[model].create({**values, "vendor_compliance_id": profile.id})
            ctx.map(model, external_id, record)
        return record


HANDLERS = [VendorComplianceUpdated]
