from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    cost_code_id = fields.Many2one("construction.cost.code", check_company=True, index="btree_not_null")
    change_order_line_id = fields.Many2one("construction.change.order.line", readonly=True, copy=False)
    construction_billed_amount = fields.Monetary(
        string="Billed", compute="_compute_qty_invoiced", store=True, currency_field="currency_id",
        help="Posted vendor bills less refunds on this line, in the order's currency.",
    )

    @api.depends("product_id", "order_id.partner_id", "cost_code_id", "order_id.construction_project_id")
    def _compute_analytic_distribution(self):
        super()._compute_analytic_distribution()
        for line in self:
            project = line.order_id.construction_project_id
            if project and not line.display_type:
                line.analytic_distribution = line.cost_code_id._analytic_distribution(project)

    def _compute_tax_id(self):
        """A commitment line is taxed as its project says (the project's subcontract taxes,
        mapped by the vendor's fiscal position), not as its product: the same taxes whether the
        line comes from an event or is entered by hand."""
        super()._compute_tax_id()
        for line in self:
            project = line.order_id.construction_project_id
            if project and not line.display_type:
                fiscal_position = line.order_id.fiscal_position_id
                taxes = project.construction_purchase_tax_ids._filter_taxes_by_company(line.company_id)
                line.taxes_id = (fiscal_position.map_tax(taxes) if fiscal_position
                                 else project._construction_purchase_taxes(line.order_id.partner_id))

    @api.constrains("cost_code_id", "order_id")
    def _check_cost_code_project(self):
        for line in self:
            code_project = line.cost_code_id.project_id
            if code_project and code_project != line.order_id.construction_project_id:
                raise UserError(_("Cost code %(code)s belongs to project %(project)s.",
                                  code=line.cost_code_id.display_name, project=code_project.display_name))

    def _is_commitment_line(self):
        return bool(self.order_id.construction_project_id) and not self.display_type

    @api.depends("invoice_lines.move_id.state", "invoice_lines.quantity", "qty_received", "product_uom_qty",
                 "order_id.state", "invoice_lines.price_subtotal", "price_subtotal")
    def _compute_qty_invoiced(self):
        """Subcontractors bill a commitment line by amount (a share of its value each period),
        so a commitment line's billed quantity is its quantity times the share billed."""
        super()._compute_qty_invoiced()
        for line in self:
            billed = 0.0
            for inv_line in line.invoice_lines.filtered(lambda inv: inv.move_id.state == "posted"):
                sign = -1 if inv_line.move_id.move_type == "in_refund" else 1
                billed += sign * inv_line.price_subtotal
            line.construction_billed_amount = billed
            if not line._is_commitment_line() or not line.price_subtotal:
                continue
            line.qty_invoiced = line.product_qty * billed / line.price_subtotal
            if line.order_id.state in ("purchase", "done"):
                line.qty_to_invoice = line.product_qty - line.qty_invoiced

    def _construction_draft_billed(self, replacing):
        """(amount, bills) of this line on draft vendor bills other than `replacing`."""
        self.ensure_one()
        lines = self.invoice_lines.filtered(
            lambda line: line.move_id.state == "draft" and line.move_id.move_type in ("in_invoice", "in_receipt")
            and line.move_id not in replacing
        )
        return sum(lines.mapped("price_subtotal")), lines.move_id

    def _construction_check_billing(self, extra_by_line, count_drafts=False, replacing=None):
        """Refuses bills that take a commitment line beyond its committed amount.
        `extra_by_line` maps purchase lines to amounts about to be billed on them.

        Posting counts posted bills only. A bill created from an event stays a draft, so there
        (`count_drafts`) the line's other draft bills count too, all but `replacing` (the draft
        the event rewrites): two drafts that together exceed the line would leave accounts
        payable a bill it can never post, and the sender no error to act on."""
        replacing = replacing or self.env["account.move"]
        for line, extra in extra_by_line.items():
            if not line._is_commitment_line():
                continue
            drafts, draft_bills = (line._construction_draft_billed(replacing) if count_drafts
                                   else (0.0, self.env["account.move"]))
            total = line.construction_billed_amount + drafts + extra
            if float_compare(total, line.price_subtotal, precision_rounding=line.currency_id.rounding) <= 0:
                continue
            if draft_bills:
                raise UserError(_(
                    "Billing %(extra)s on \"%(line)s\" of %(po)s would bring it to %(total)s, beyond the %(committed)s "
                    "committed: %(drafts)s of it is on draft bills %(bills)s. Approve a change order first.",
                    extra=line.currency_id.format(extra), line=line.name, po=line.order_id.name,
                    total=line.currency_id.format(total), committed=line.currency_id.format(line.price_subtotal),
                    drafts=line.currency_id.format(drafts),
                    bills=", ".join(bill.ref or bill.display_name for bill in draft_bills),
                ))
            raise UserError(_(
                "Billing %(extra)s on \"%(line)s\" of %(po)s would bring it to %(total)s, beyond the %(committed)s "
                "committed. Approve a change order first.",
                extra=line.currency_id.format(extra), line=line.name, po=line.order_id.name,
                total=line.currency_id.format(total), committed=line.currency_id.format(line.price_subtotal),
            ))

    def _construction_lock_billing(self):
        """Serialises two transactions that each add a draft bill on these lines after checking
        the other drafts (the events of two invoices of one commitment, applied at once): the
        second fails to serialize and its retry sees the first one's draft. Creating a draft
        writes nothing on its purchase lines, so a plain row lock would let the second go on
        from its snapshot; an update of the rows does not. Raw SQL: the ORM writes no row whose
        values do not change."""
        if self:
            self.env.cr.execute("UPDATE purchase_order_line SET write_date = write_date WHERE id = ANY(%s)", [self.ids],
                                log_exceptions=False)
