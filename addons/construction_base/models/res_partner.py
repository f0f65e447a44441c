from odoo import api, fields, models

from ..publishers import partner as partner_publishers


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_subcontractor = fields.Boolean(
        help="Performs work on projects under a subcontract (as opposed to supplying material)."
    )

    # Outbound events (construction_sync): vendors and subcontractors are news for the field systems.

    def _construction_is_vendor(self):
        return self.supplier_rank > 0 or self.is_subcontractor

    @api.model_create_multi
    def create(self, vals_list):
        partners = super().create(vals_list)
        vendors = partners.filtered(lambda p: p._construction_is_vendor())
        if vendors:
            self.env["construction.sync.outbox"]._publish("vendor.upserted", vendors)
        return partners

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field in partner_publishers.VENDOR_FIELDS):
            vendors = self.filtered(lambda p: p._construction_is_vendor())
            if vendors:
                self.env["construction.sync.outbox"]._publish("vendor.upserted", vendors)
        return result
