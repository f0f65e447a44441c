from odoo import _, models
from odoo.exceptions import UserError


class PurchaseOrder(models.Model):
    """Confirmation waits for approved submittals. Own file, apart from other purchase work."""

    _inherit = "purchase.order"

    def button_confirm(self):
        for order in self:
            waiting = order.order_line.filtered(lambda line: line._construction_unapproved_submittals())
            if waiting:
                raise UserError(waiting._construction_hold_message(
                    _("%(order)s cannot be confirmed", order=order.name)))
        return super().button_confirm()
