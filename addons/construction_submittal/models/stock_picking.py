from odoo import _, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        # Only material coming from the vendor waits: sending held material back (a return to
        # the vendor) is how a rejection is usually settled.
        for picking in self:
            incoming = picking.move_ids.filtered(lambda move: move.location_id.usage == "supplier")
            held = incoming.purchase_line_id.filtered("construction_submittal_hold")
            if held:
                raise UserError(held._construction_hold_message(
                    _("Receipt %(picking)s cannot be validated", picking=picking.name)))
        return super().button_validate()
