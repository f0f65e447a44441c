from odoo import _, fields, models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    construction_ticket_number = fields.Char(string="Delivery Ticket", index="btree_not_null", copy=False,
                                             tracking=True)
    construction_received_by = fields.Char(string="Received By", copy=False)
    construction_received_at = fields.Datetime(string="Received On Site", copy=False)
    construction_photo_urls = fields.Text(string="Delivery Photos", copy=False, help="One address per line.")

    def button_validate(self):
        # Goods from a vendor whose compliance a rule requires for receipts wait; returns to the
        # vendor do not.
        for picking in self:
            incoming = picking.move_ids.filtered(lambda move: move.location_id.usage == "supplier")
            vendor = incoming.purchase_line_id.order_id.partner_id[:1] or (incoming and picking.partner_id)
            if vendor:
                vendor._construction_compliance_check(
                    "receipt", picking.company_id, _("Receipt %(picking)s cannot be validated", picking=picking.name))
        return super().button_validate()
