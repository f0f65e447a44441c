from odoo import _, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_confirm(self):
        # Only new commitments wait: an order already confirmed stays valid when a certificate
        # expires later (its bills, payments and receipts have rules of their own).
        for order in self.filtered(lambda o: o.state in ("draft", "sent", "to approve")):
            order.partner_id._construction_compliance_check(
                "commitment", order.company_id, _("%(order)s cannot be confirmed", order=order.name))
        return super().button_confirm()
