from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class AccountMove(models.Model):
    """Customer invoices and vendor bills of a construction project, with retention.

    Retention is an ordinary invoice line with a negative amount on the company's retention
    account: on a customer invoice it debits Retention Receivable instead of Accounts Receivable,
    on a vendor bill it credits Retention Payable instead of Accounts Payable. The invoice total
    is what is due now; the retention account balance is what is held until released."""

    _inherit = "account.move"

    retention_percent = fields.Float(string="Retention %", digits=(5, 2), copy=True)
    retention_amount = fields.Monetary(
        compute="_compute_retention_amount", store=True, currency_field="currency_id",
        help="Withheld (positive) or released (negative) by this document, in its currency.",
    )

    @api.depends("invoice_line_ids.construction_retention", "invoice_line_ids.price_subtotal")
    def _compute_retention_amount(self):
        for move in self:
            lines = move.invoice_line_ids.filtered("construction_retention")
            move.retention_amount = -sum(lines.mapped("price_subtotal"))

    def _retention_side(self):
        self.ensure_one()
        if self.is_sale_document(include_receipts=False):
            return "receivable"
        if self.is_purchase_document(include_receipts=False):
            return "payable"
        raise UserError(_("Retention applies to customer invoices and vendor bills only."))

    def _construction_retention_line_vals(self, amount, label, kind="withheld"):
        """Values of one retention line: `amount` withheld (> 0) or released (> 0 with kind
        "released"), in the document's currency, on the project's analytic account."""
        self.ensure_one()
        account = self.company_id._construction_retention_account(self._retention_side())
        values = {
            "name": label,
            "account_id": account.id,
            "quantity": 1,
            "price_unit": -amount if kind == "withheld" else amount,
            "construction_retention": kind,
            "tax_ids": [Command.clear()],
        }
        if self.construction_project_id:
            values["analytic_distribution"] = self.env["construction.cost.code"]._analytic_distribution(
                self.construction_project_id
            )
        return values

    def action_construction_apply_retention(self):
        """(Re)computes the withheld retention line from the document's other lines."""
        for move in self:
            if move.state != "draft":
                raise UserError(_("Retention can only be changed on a draft document (%s).", move.display_name))
            base_lines = move.invoice_line_ids.filtered(
                lambda l: l.display_type == "product" and not l.construction_retention
            )
            base = sum(base_lines.mapped("price_subtotal"))
            amount = move.currency_id.round(base * move.retention_percent / 100.0)
            commands = [Command.delete(line.id) for line in move.invoice_line_ids.filtered(lambda l: l.construction_retention == "withheld")]
            if not float_is_zero(amount, precision_rounding=move.currency_id.rounding):
                label = _("Retention %(percent)s%% withheld", percent=("%g" % move.retention_percent))
                commands.append(Command.create(move._construction_retention_line_vals(amount, label)))
            if commands:
                move.write({"invoice_line_ids": commands})
        return True

    def _post(self, soft=True):
        extra = {}
        for line in self.filtered(lambda m: m.move_type == "in_invoice").invoice_line_ids.filtered("purchase_line_id"):
            extra[line.purchase_line_id] = extra.get(line.purchase_line_id, 0.0) + line.price_subtotal
        if extra:
            self.env["purchase.order.line"].browse([l.id for l in extra])._construction_check_billing(extra)
        return super()._post(soft=soft)
