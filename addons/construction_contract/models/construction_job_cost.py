from odoo import api, fields, models, tools


class ConstructionJobCost(models.Model):
    """Job cost per project x cost code, read live from the books (a SQL view, nothing copied):

    - budget: budget lines, plus the budget side of approved prime change orders;
    - committed: confirmed purchase order lines of the project (subcontracts, material POs,
      commitment change orders);
    - actual cost and billed: analytic items on the project's analytic account and the cost
      code's account (posted vendor bills, timesheets, other journal items) — customer invoices
      count as billed, everything else as cost; retention lines count in neither;
    - retention held: retention account balances of the project's posted documents (a project
      level figure, shown on the row without a cost code);
    - remaining: revised budget less commitments less actual costs that no commitment covers.

    Amounts are in the company currency; commitments are assumed in it too (the project and
    handler code refuse other currencies)."""

    _name = "construction.job.cost"
    _description = "Job Cost"
    _auto = False
    _order = "project_id, cost_code_id"

    project_id = fields.Many2one("project.project", readonly=True)
    cost_code_id = fields.Many2one("construction.cost.code", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    original_budget = fields.Monetary(readonly=True)
    approved_changes = fields.Monetary(readonly=True)
    revised_budget = fields.Monetary(readonly=True)
    committed = fields.Monetary(readonly=True)
    actual_cost = fields.Monetary(readonly=True)
    uncommitted_cost = fields.Monetary(readonly=True, help="Actual cost not billed against a commitment.")
    billed = fields.Monetary(readonly=True)
    retention_receivable = fields.Monetary(string="Retention Held by Customer", readonly=True)
    retention_payable = fields.Monetary(string="Retention Held from Vendors", readonly=True)
    remaining = fields.Monetary(readonly=True)

    def _analytic_sources(self):
        plan = self.env.ref("construction_base.analytic_plan_cost_codes", raise_if_not_found=False)
        column = plan._column_name() if plan else None
        self.env.cr.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = 'account_analytic_line' AND column_name = %s",
            [column],
        )
        if not column or not self.env.cr.rowcount:
            # Before the cost code plan exists (first install), the view has no analytic part;
            # the data file creates it again once the plan is there.
            return ""
        return """
            UNION ALL
            SELECT p.id, cc.id, COALESCE(p.company_id, aal.company_id),
                   0, 0, 0,
                   CASE WHEN am.move_type IN ('out_invoice', 'out_refund') THEN 0 ELSE -aal.amount END,
                   CASE WHEN am.move_type IN ('out_invoice', 'out_refund') OR aml.purchase_line_id IS NOT NULL
                        THEN 0 ELSE -aal.amount END,
                   CASE WHEN am.move_type IN ('out_invoice', 'out_refund') THEN aal.amount ELSE 0 END,
                   0, 0
              FROM account_analytic_line aal
              JOIN project_project p ON p.account_id = aal.account_id
         LEFT JOIN construction_cost_code cc ON cc.analytic_account_id = aal.{column}
         LEFT JOIN account_move_line aml ON aml.id = aal.move_line_id
         LEFT JOIN account_move am ON am.id = aml.move_id
             WHERE aml.construction_retention IS NULL
        """.format(column=column)

    def init(self):
        self._create_view()

    @api.model
    def _create_view(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW {table} AS (
            SELECT row_number() OVER (ORDER BY project_id, cost_code_id) AS id,
                   project_id, cost_code_id, MAX(company_id) AS company_id,
                   SUM(original_budget) AS original_budget,
                   SUM(approved_changes) AS approved_changes,
                   SUM(original_budget + approved_changes) AS revised_budget,
                   SUM(committed) AS committed,
                   SUM(actual_cost) AS actual_cost,
                   SUM(uncommitted_cost) AS uncommitted_cost,
                   SUM(billed) AS billed,
                   SUM(retention_receivable) AS retention_receivable,
                   SUM(retention_payable) AS retention_payable,
                   SUM(original_budget + approved_changes - committed - uncommitted_cost) AS remaining
              FROM (
                SELECT b.project_id, b.cost_code_id, b.company_id,
                       b.original_amount AS original_budget, 0 AS approved_changes, 0 AS committed,
                       0 AS actual_cost, 0 AS uncommitted_cost, 0 AS billed,
                       0 AS retention_receivable, 0 AS retention_payable
                  FROM construction_budget_line b
                UNION ALL
                SELECT l.project_id, l.cost_code_id, l.company_id, 0, l.budget_amount, 0, 0, 0, 0, 0, 0
                  FROM construction_change_order_line l
                 WHERE l.state = 'approved' AND l.kind = 'prime'
                UNION ALL
                SELECT po.construction_project_id, pol.cost_code_id, po.company_id, 0, 0, pol.price_subtotal, 0, 0, 0, 0, 0
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                 WHERE po.construction_project_id IS NOT NULL AND po.state IN ('purchase', 'done')
                   AND pol.display_type IS NULL
                UNION ALL
                SELECT am.construction_project_id, NULL, am.company_id, 0, 0, 0, 0, 0, 0,
                       CASE WHEN aml.account_id = c.retention_receivable_account_id THEN aml.balance ELSE 0 END,
                       CASE WHEN aml.account_id = c.retention_payable_account_id THEN -aml.balance ELSE 0 END
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_company c ON c.id = am.company_id
                 WHERE am.state = 'posted' AND am.construction_project_id IS NOT NULL
                   AND aml.account_id IN (c.retention_receivable_account_id, c.retention_payable_account_id)
                {analytic}
              ) sources
             WHERE project_id IS NOT NULL
          GROUP BY project_id, cost_code_id
            )
        """.format(table=self._table, analytic=self._analytic_sources()))
