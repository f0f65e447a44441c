from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

QUANTITY_DIGITS = 3


class ConstructionBudgetItem(models.Model):
    """The budget of one cost code in one budget version: amount, and the estimate's quantity and
    unit when it has them. `previous_amount` is the amount of the version this one superseded,
    set when the version is approved, so `change_amount` is the revision's change of the cost
    code."""

    _name = "construction.budget.item"
    _description = "Project Budget Item"
    _order = "budget_id, cost_code_id"
    _check_company_auto = True

    # relations
    budget_id = fields.Many2one(
        "construction.budget", string="Budget Version", required=True, ondelete="cascade", index=True)
    project_id = fields.Many2one(related="budget_id.project_id", store=True, index=True)
    company_id = fields.Many2one(related="budget_id.company_id", store=True)
    currency_id = fields.Many2one(related="budget_id.currency_id")
    version = fields.Integer(related="budget_id.version")
    state = fields.Selection(related="budget_id.state")
    cost_code_id = fields.Many2one("construction.cost.code", required=True, check_company=True, index=True)

    # quantities and amounts
    quantity = fields.Float(digits=(16, QUANTITY_DIGITS))
    unit = fields.Char(size=16, help="The estimate's unit of the quantity, e.g. CY, TON, SF, LS.")
    amount = fields.Monetary(string="Budget")
    previous_amount = fields.Monetary(
        string="Previous Budget", readonly=True,
        help="The cost code's budget in the version this one superseded (0 in the original budget).",
    )
    change_amount = fields.Monetary(string="Change", compute="_compute_change_amount", store=True)

    _sql_constraints = [
        ("cost_code_unique", "UNIQUE(budget_id, cost_code_id)", "A cost code has one line per budget version."),
    ]

    @api.depends("amount", "previous_amount")
    def _compute_change_amount(self):
        for item in self:
            item.change_amount = item.amount - item.previous_amount

    @api.constrains("cost_code_id", "project_id")
    def _check_cost_code_project(self):
        for item in self:
            if item.cost_code_id.project_id and item.cost_code_id.project_id != item.project_id:
                raise UserError(_("Cost code %(code)s belongs to project %(project)s.",
                                  code=item.cost_code_id.display_name,
                                  project=item.cost_code_id.project_id.display_name))

    def _values(self):
        self.ensure_one()
        return {"cost_code_id": self.cost_code_id.id, "amount": self.amount, "quantity": self.quantity,
                "unit": self.unit or False}

    def _values_differ(self, name, value):
        self.ensure_one()
        if name == "cost_code_id":
            return self.cost_code_id.id != value
        if name in ("amount", "previous_amount"):
            return bool(self.currency_id.compare_amounts(self[name], value or 0.0))
        if name == "quantity":
            return bool(float_compare(self.quantity, value or 0.0, precision_digits=QUANTITY_DIGITS))
        return (self[name] or False) != (value or False)
