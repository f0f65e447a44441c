from odoo import _, models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def _construction_billed_before(self):
        """(quantity in the purchase unit, amount) of the purchase line on other posted bills,
        less posted credit notes."""
        self.ensure_one()
        purchase_line = self.purchase_line_id
        quantity = amount = 0.0
        for other in purchase_line.invoice_lines.filtered(
                lambda line: line.move_id != self.move_id and line.move_id.state == "posted"):
            sign = -1 if other.move_id.move_type == "in_refund" else 1
            quantity += sign * other.product_uom_id._compute_quantity(other.quantity, purchase_line.product_uom)
            amount += sign * other.price_subtotal
        return quantity, amount

    def _construction_match(self):
        """(difference, sentence) of this bill line against its purchase line: goods against the
        quantity received at the ordered net price, subcontract lines against the certified
        amount; other purchase lines are not matched."""
        self.ensure_one()
        purchase_line = self.purchase_line_id
        currency = self.move_id.currency_id
        billed_qty, billed_amount = self._construction_billed_before()
        if purchase_line.product_id.type == "consu":
            quantity = self.product_uom_id._compute_quantity(self.quantity, purchase_line.product_uom)
            open_qty = max(purchase_line.qty_received - billed_qty, 0.0)
            unit = (purchase_line.price_subtotal / purchase_line.product_qty if purchase_line.product_qty
                    else purchase_line.price_unit)
            expected = currency.round(min(quantity, open_qty) * unit)
            difference = currency.round(self.price_subtotal - expected)
            if currency.compare_amounts(difference, 0.0) <= 0:
                return 0.0, False
            return difference, _(
                "%(line)s: billed %(qty)s %(uom)s for %(billed)s; received and not billed before %(open)s %(uom)s "
                "at %(unit)s = %(expected)s; difference %(difference)s",
                line=purchase_line.name, qty=quantity, uom=purchase_line.product_uom.name,
                billed=currency.format(self.price_subtotal), open=open_qty, unit=currency.format(unit),
                expected=currency.format(expected), difference=currency.format(difference),
            )
        if purchase_line._is_commitment_line():
            open_amount = max(purchase_line.construction_certified_amount - billed_amount, 0.0)
            difference = currency.round(self.price_subtotal - open_amount)
            if currency.compare_amounts(difference, 0.0) <= 0:
                return 0.0, False
            return difference, _(
                "%(line)s: billed %(billed)s; certified to date %(certified)s less %(before)s billed before = "
                "%(open)s; difference %(difference)s",
                line=purchase_line.name, billed=currency.format(self.price_subtotal),
                certified=currency.format(purchase_line.construction_certified_amount),
                before=currency.format(billed_amount), open=currency.format(open_amount),
                difference=currency.format(difference),
            )
        return 0.0, False
