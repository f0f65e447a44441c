from odoo import _, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        for picking in self:
            held = picking.move_ids.purchase_line_id.filtered("construction_submittal_hold")
            if held:
                raise UserError(held._construction_hold_message(
                    _("Receipt %(picking)s cannot be validated", picking=picking.name)))
        return super().button_validate()
