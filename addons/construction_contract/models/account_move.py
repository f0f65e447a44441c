from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_is_zero


class AccountMove(models.Model):
    """Customer invoices and vendor bills of a construction project, with retention.

    Retention is an ordinary invoice line with a negative amount on the company's retention
    account: on a customer invoice it debits Retention Receivable instead of Accounts Receivable,
    on a vendor bill it credits Retention Payable instead of Accounts Payable. The invoice total
    is what is due now; the retention account balance is what is held until released.

    Tax on retention follows the project's rule (retention_tax_rule): taxed when billed, the
    retention line carries no tax and the document's taxes apply to the whole amount billed;
    taxed when released, the retention line carries the taxes of the lines it is withheld from,
    which takes it out of their tax base, and the release line carries them again, so the tax
    is charged when the retention is released. A release line names the document whose
    retention it releases (construction_retention_source_id)."""

    _inherit = "account.move"

    retention_percent = fields.Float(string="Retention %", digits=(5, 2), copy=True)
    retention_amount = fields.Monetary(
        compute="_compute_retention_amount", store=True, currency_field="currency_id",
        help="Withheld (positive) or released (negative) by this document, in its currency.",
    )
    construction_pay_application_id = fields.Many2one(
        "construction.pay.application", string="Pay Application", readonly=True, copy=False,
        index="btree_not_null", ondelete="restrict",
        help="The pay application this invoice or credit note bills (or reverses).",
    )
    construction_retention_source_ids = fields.Many2many(
        "account.move", string="Releases Retention Of", compute="_compute_construction_retention_source_ids",
        help="The invoices or bills whose retention this document releases.",
    )

    @api.depends("invoice_line_ids.construction_retention", "invoice_line_ids.price_subtotal")
    def _compute_retention_amount(self):
        for move in self:
            lines = move.invoice_line_ids.filtered("construction_retention")
            move.retention_amount = -sum(lines.mapped("price_subtotal"))

    @api.depends("invoice_line_ids.construction_retention_source_id")
    def _compute_construction_retention_source_ids(self):
        for move in self:
            move.construction_retention_source_ids = move.invoice_line_ids.construction_retention_source_id

    def _retention_side(self):
        self.ensure_one()
        if self.is_sale_document(include_receipts=False):
            return "receivable"
        if self.is_purchase_document(include_receipts=False):
            return "payable"
        raise UserError(_("Retention applies to customer invoices and vendor bills only."))

    def _construction_retention_line_vals(self, amount, label, kind="withheld", taxes=None, source=None):
        """Values of one retention line: `amount` withheld (> 0) or released (> 0 with kind
        "released"), in the document's currency, on the project's analytic account; `taxes`
        when the retention is taxed on release (see the class docstring), `source` the
        document whose retention a release line releases."""
        self.ensure_one()
        account = self.company_id._construction_retention_account(self._retention_side())
        values = {
            "name": label,
            "account_id": account.id,
            "quantity": 1,
            "price_unit": -amount if kind == "withheld" else amount,
            "construction_retention": kind,
            "tax_ids": [Command.set(taxes.ids if taxes else [])],
            "construction_retention_source_id": source.id if source else False,
        }
        if self.construction_project_id:
            values["analytic_distribution"] = self.env["construction.cost.code"]._analytic_distribution(
                self.construction_project_id
            )
        return values

    def _construction_retention_withheld(self, bases):
        """{taxes: amount} of the retention to withhold from lines given as (taxes, amount before
        tax) pairs: one untaxed amount when retention is taxed when billed, one per set of taxes
        when it is taxed when released (each rounded to the cent, zero amounts left out). `self`
        may be a new record holding a document's header values (see
        _construction_retention_line_commands)."""
        self.ensure_one()
        by_taxes = {}
        if self.construction_project_id.retention_tax_rule == "released":
            for taxes, base in bases:
                by_taxes[taxes] = by_taxes.get(taxes, 0.0) + base
        else:
            by_taxes[self.env["account.tax"]] = sum(base for _taxes, base in bases)
        amounts = {}
        for taxes, base in by_taxes.items():
            amount = self.currency_id.round(base * self.retention_percent / 100.0)
            if not float_is_zero(amount, precision_rounding=self.currency_id.rounding):
                amounts[taxes] = amount
        return amounts

    def _construction_retention_label(self):
        return _("Retention %(percent)s%% withheld", percent=("%g" % self.retention_percent))

    def _construction_retention_line_commands(self, product_values):
        """The commands creating the withheld retention lines of a document about to get the
        product lines `product_values` (account.move.line values, as passed to create): a
        document is then created with its retention in one create, instead of a create and a
        second write recomputing its taxes and totals. Each line's amount before tax is what its
        price_subtotal will be (account.move.line._compute_totals). `self` is the document, or a
        new record holding the header values of one about to be created; the caller checks the
        result with _construction_retention_is_current."""
        self.ensure_one()
        Tax = self.env["account.tax"]
        currency = self.currency_id
        bases = []
        for values in product_values:
            taxes = Tax.browse(values["tax_ids"][0][2]) if values.get("tax_ids") else Tax
            base_line = Tax._prepare_base_line_for_taxes_computation(
                None, price_unit=values.get("price_unit", 0.0), quantity=values.get("quantity", 1.0),
                discount=values.get("discount", 0.0), tax_ids=taxes, currency_id=currency,
                product_id=self.env["product.product"].browse(values.get("product_id")),
            )
            Tax._add_tax_details_in_base_line(base_line, self.company_id)
            bases.append((taxes, base_line["tax_details"]["raw_total_excluded_currency"]))
        label = self._construction_retention_label()
        return [Command.create(self._construction_retention_line_vals(amount, label, taxes=taxes))
                for taxes, amount in self._construction_retention_withheld(bases).items()]

    def _construction_retention_is_current(self):
        """Whether this draft's withheld retention lines are the ones action_construction_apply_retention
        would make of its other lines."""
        self.ensure_one()
        base_lines = self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product" and not line.construction_retention
        )
        expected = self._construction_retention_withheld([(line.tax_ids, line.price_subtotal) for line in base_lines])
        withheld = self.invoice_line_ids.filtered(lambda line: line.construction_retention == "withheld")
        label = self._construction_retention_label()
        return len(withheld) == len(expected) and all(
            line.tax_ids in expected and line.name == label
            and self.currency_id.compare_amounts(-line.price_unit, expected[line.tax_ids]) == 0
            and line.quantity == 1
            for line in withheld
        )

    def action_construction_apply_retention(self):
        """(Re)computes the withheld retention line from the document's other lines: one line,
        untaxed, when retention is taxed when billed; one line per set of taxes of those lines,
        carrying those taxes, when it is taxed when released (each rounded to the cent)."""
        for move in self:
            if move.state != "draft":
                raise UserError(_("Retention can only be changed on a draft document (%s).", move.display_name))
            base_lines = move.invoice_line_ids.filtered(
                lambda line: line.display_type == "product" and not line.construction_retention
            )
            withheld = move.invoice_line_ids.filtered(lambda line: line.construction_retention == "withheld")
            commands = [Command.delete(line.id) for line in withheld]
            label = move._construction_retention_label()
            amounts = move._construction_retention_withheld(
                [(line.tax_ids, line.price_subtotal) for line in base_lines])
            for taxes, amount in amounts.items():
                commands.append(Command.create(move._construction_retention_line_vals(amount, label, taxes=taxes)))
            if commands:
                move.write({"invoice_line_ids": commands})
        return True

    def _post(self, soft=True):
        extra = {}
        for line in self.filtered(lambda m: m.move_type == "in_invoice").invoice_line_ids.filtered("purchase_line_id"):
            extra[line.purchase_line_id] = extra.get(line.purchase_line_id, 0.0) + line.price_subtotal
        if extra:
            self.env["purchase.order.line"].browse([line.id for line in extra])._construction_check_billing(extra)
        posted = super()._post(soft=soft)
        posted._construction_link_pay_application_reversals()
        return posted

    # ------------------------------------------------------------------------------------------
    # pay applications: an invoice undone gives its application back to certified
    # ------------------------------------------------------------------------------------------

    def _construction_link_pay_application_reversals(self):
        """A posted reversal (credit note) of a pay application's invoice is filed under the
        application; once the invoice is wholly reversed, the application is certified again,
        to be invoiced anew (corrected if need be). A partial credit note (a discount, a
        disputed line) leaves it invoiced."""
        for reversal in self.filtered(lambda m: m.reversed_entry_id.construction_pay_application_id):
            invoice = reversal.reversed_entry_id
            # Whoever may reverse an invoice moves the application, pay application rights or not.
            application = invoice.construction_pay_application_id.sudo()
            reversal.sudo().construction_pay_application_id = application
            reversals = invoice.reversal_move_ids.filtered(lambda m: m.state == "posted")
            reversed_total = sum(reversals.mapped("amount_total"))
            if application.invoice_id == invoice and invoice.currency_id.compare_amounts(
                    reversed_total, invoice.amount_total) >= 0:
                application._action_invoice_undone(reversal)

    def _construction_undo_pay_applications(self):
        """The applications whose current invoice is among these (cancelled, deleted): certified again."""
        applications = self.env["construction.pay.application"].sudo().search([("invoice_id", "in", self.ids)])
        for application in applications:
            application._action_invoice_undone(application.invoice_id)

    def button_cancel(self):
        result = super().button_cancel()
        self.filtered(lambda m: m.state == "cancel")._construction_undo_pay_applications()
        return result

    def unlink(self):
        self._construction_undo_pay_applications()
        return super().unlink()
