from odoo import fields, models


class CrmLeadEstimateLine(models.Model):
    """The estimator's budget of an opportunity, by cost code. When the opportunity is won it
    becomes the project's original budget (version 1, draft until a construction manager
    approves it)."""

    _name = "crm.lead.estimate.line"
    _description = "Opportunity Estimate Line"
    _order = "lead_id, sequence, id"

    lead_id = fields.Many2one("crm.lead", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="lead_id.company_id", store=True)
    currency_id = fields.Many2one(related="lead_id.company_currency")
    sequence = fields.Integer(default=10)
    cost_code_id = fields.Many2one("construction.cost.code", required=True,
                                   domain="[('project_id', '=', False)]")
    quantity = fields.Float(digits=(16, 3))
    unit = fields.Char(size=16)
    amount = fields.Monetary(string="Budget", currency_field="currency_id")

    _sql_constraints = [
        ("cost_code_unique", "UNIQUE(lead_id, cost_code_id)", "A cost code appears once in an estimate."),
    ]
