from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ConstructionChangeOrderLine(models.Model):
    _name = "construction.change.order.line"
    _description = "Change Order Line"
    _order = "change_order_id, sequence, id"
    _check_company_auto = True

    change_order_id = fields.Many2one("construction.change.order", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(related="change_order_id.company_id", store=True)
    project_id = fields.Many2one(related="change_order_id.project_id", store=True, index=True)
    state = fields.Selection(related="change_order_id.state", store=True)
    kind = fields.Selection(related="change_order_id.kind", store=True)
    currency_id = fields.Many2one(related="change_order_id.currency_id")
    cost_code_id = fields.Many2one("construction.cost.code", required=True, check_company=True, index=True)
    description = fields.Char(required=True)
    amount = fields.Monetary(help="Change of the contract (prime) or of the commitment; negative for a deduction.")
    budget_amount = fields.Monetary(
        compute="_compute_budget_amount", store=True, readonly=False, precompute=True,
        help="Change of the cost budget of the cost code; the contract amount unless estimated separately.",
    )
    purchase_line_id = fields.Many2one("purchase.order.line", readonly=True, copy=False, index="btree_not_null")

    @api.depends("amount")
    def _compute_budget_amount(self):
        for line in self:
            if not line.budget_amount:
                line.budget_amount = line.amount

    @api.constrains("cost_code_id", "project_id")
    def _check_cost_code_project(self):
        for line in self:
            if line.cost_code_id.project_id and line.cost_code_id.project_id != line.project_id:
                raise UserError(_("Cost code %(code)s belongs to project %(project)s.",
                                  code=line.cost_code_id.display_name,
                                  project=line.cost_code_id.project_id.display_name))

    def _ensure_budget_lines(self):
        Budget = self.env["construction.budget.line"].sudo()
        for line in self:
            if not Budget.search_count([
                ("project_id", "=", line.project_id.id), ("cost_code_id", "=", line.cost_code_id.id),
            ]):
                Budget.create({
                    "project_id": line.project_id.id, "cost_code_id": line.cost_code_id.id, "original_amount": 0.0,
                })

    def _reverse_commitment_lines(self):
        """Takes the change order's purchase lines back to zero; refuses once one was billed,
        because the subcontractor was then paid for work the change order no longer covers."""
        for line in self.filtered("purchase_line_id"):
            purchase_line = line.purchase_line_id
            if purchase_line.construction_billed_amount:
                raise UserError(_(
                    "Change order %(co)s cannot be voided: %(amount)s of its line \"%(line)s\" was already billed "
                    "on %(po)s. Record a deducting change order instead.",
                    co=line.change_order_id.display_name, line=line.description, po=purchase_line.order_id.name,
                    amount=line.currency_id.format(purchase_line.construction_billed_amount),
                ))
            purchase_line.product_qty = 0.0
