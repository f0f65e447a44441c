from odoo import api, fields, models, tools


class ConstructionJobCost(models.Model):
    """Job cost per project x cost code, read live from the books (a SQL view, nothing copied):

    - budget: the original budget (budget lines, set by the project's budget version 1 or by
      hand), plus the changes of approved budget revisions, plus the budget side of approved prime
      change orders = the revised budget;
    - committed: confirmed purchase order lines of the project (subcontracts, material POs,
      commitment change orders);
    - actual cost and billed: analytic items on the project's analytic account and the cost
      code's account (posted vendor bills, timesheets, other journal items) — customer invoices
      count as billed, everything else as cost; retention lines count in neither. Uncommitted
      cost is the actual cost no commitment covers (no purchase line);
    - retention receivable and payable: retention account balances of the project's posted
      documents (a project level figure, shown on the row without a cost code);
    - remaining: revised budget less commitments less uncommitted cost.

    The forecast (cost-to-cost, the construction convention):

    - committed not billed = committed - actual cost billed against commitments, at least 0;
    - uncommitted budget = revised budget - committed - uncommitted cost, at least 0: the budget
      no commitment or cost has consumed yet, assumed to be spent;
    - estimate at completion (EAC) = actual cost + committed not billed + uncommitted budget;
    - cost to complete = EAC - actual cost;
    - % complete = actual cost / EAC (0 while EAC is 0);
    - projected over/under = revised budget - EAC: negative is a projected overrun. Since
      uncommitted budget is assumed spent, EAC is never below the revised budget while billing
      stays within commitments, so the figure shows overruns, not savings.

    Rows where every figure is zero are left out. Amounts are in the company currency;
    commitments are assumed in it too (the project and handler code refuse other currencies)."""

    _name = "construction.job.cost"
    _description = "Job Cost"
    _auto = False
    _order = "project_id, cost_code_id"

    project_id = fields.Many2one("project.project", readonly=True)
    cost_code_id = fields.Many2one("construction.cost.code", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    original_budget = fields.Monetary(readonly=True)
    approved_revisions = fields.Monetary(
        string="Budget Revisions", readonly=True, help="Changes by approved budget revisions (versions 2 and up).")
    approved_changes = fields.Monetary(readonly=True, help="Budget side of approved prime change orders.")
    revised_budget = fields.Monetary(readonly=True)
    committed = fields.Monetary(readonly=True)
    actual_cost = fields.Monetary(readonly=True)
    uncommitted_cost = fields.Monetary(readonly=True, help="Actual cost not billed against a commitment.")
    open_commitment = fields.Monetary(
        string="Committed Not Billed", readonly=True,
        help="Committed less the actual cost billed against commitments; never below 0.")
    uncommitted_budget = fields.Monetary(
        readonly=True, help="Revised budget less committed less uncommitted cost; never below 0.")
    estimate_at_completion = fields.Monetary(
        string="Estimate at Completion", readonly=True,
        help="Actual cost + committed not billed + uncommitted budget.")
    cost_to_complete = fields.Monetary(readonly=True, help="Estimate at completion less actual cost.")
    percent_complete = fields.Float(
        string="% Complete", readonly=True, digits=(16, 2), aggregator="avg",
        help="Cost to cost: actual cost / estimate at completion, in percent; a group's is its totals' ratio.")
    projected_variance = fields.Monetary(
        string="Projected Over/Under", readonly=True,
        help="Revised budget less estimate at completion: negative is a projected overrun.")
    billed = fields.Monetary(readonly=True, help="Billed to the customer (posted customer invoices).")
    retention_receivable = fields.Monetary(
        string="Retention Receivable", readonly=True,
        help="Retention the customer holds back on the project's invoices.")
    retention_payable = fields.Monetary(
        string="Retention Payable", readonly=True, help="Retention held back on the project's vendor bills.")
    remaining = fields.Monetary(readonly=True, help="Revised budget less committed less uncommitted cost.")

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
                   0, 0, 0, 0,
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
        # sources: one row per document line, in the columns of the report; totals: per project x
        # cost code, without the rows where everything is zero; forecast: the derived columns
        # (see the class docstring), each written once.
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE OR REPLACE VIEW {table} AS (
            WITH sources AS (
                SELECT b.project_id, b.cost_code_id, b.company_id,
                       b.original_amount AS original_budget, 0 AS approved_revisions, 0 AS approved_changes,
                       0 AS committed, 0 AS actual_cost, 0 AS uncommitted_cost, 0 AS billed,
                       0 AS retention_receivable, 0 AS retention_payable
                  FROM construction_budget_line b
                UNION ALL
                SELECT i.project_id, i.cost_code_id, i.company_id, 0, i.change_amount, 0, 0, 0, 0, 0, 0, 0
                  FROM construction_budget_item i
                  JOIN construction_budget v ON v.id = i.budget_id
                 WHERE v.version > 1 AND v.state IN ('approved', 'superseded')
                UNION ALL
                SELECT l.project_id, l.cost_code_id, l.company_id, 0, 0, l.budget_amount, 0, 0, 0, 0, 0, 0
                  FROM construction_change_order_line l
                 WHERE l.state = 'approved' AND l.kind = 'prime'
                UNION ALL
                SELECT po.construction_project_id, pol.cost_code_id, po.company_id,
                       0, 0, 0, pol.price_subtotal, 0, 0, 0, 0, 0
                  FROM purchase_order_line pol
                  JOIN purchase_order po ON po.id = pol.order_id
                 WHERE po.construction_project_id IS NOT NULL AND po.state IN ('purchase', 'done')
                   AND pol.display_type IS NULL
                UNION ALL
                SELECT am.construction_project_id, NULL, am.company_id, 0, 0, 0, 0, 0, 0, 0,
                       CASE WHEN aml.account_id = c.retention_receivable_account_id THEN aml.balance ELSE 0 END,
                       CASE WHEN aml.account_id = c.retention_payable_account_id THEN -aml.balance ELSE 0 END
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_company c ON c.id = am.company_id
                 WHERE am.state = 'posted' AND am.construction_project_id IS NOT NULL
                   AND aml.account_id IN (c.retention_receivable_account_id, c.retention_payable_account_id)
                {analytic}
            ), totals AS (
                SELECT project_id, cost_code_id, MAX(company_id) AS company_id,
                       SUM(original_budget) AS original_budget,
                       SUM(approved_revisions) AS approved_revisions,
                       SUM(approved_changes) AS approved_changes,
                       SUM(original_budget + approved_revisions + approved_changes) AS revised_budget,
                       SUM(committed) AS committed,
                       SUM(actual_cost) AS actual_cost,
                       SUM(uncommitted_cost) AS uncommitted_cost,
                       SUM(billed) AS billed,
                       SUM(retention_receivable) AS retention_receivable,
                       SUM(retention_payable) AS retention_payable
                  FROM sources
                 WHERE project_id IS NOT NULL
              GROUP BY project_id, cost_code_id
                HAVING SUM(ABS(original_budget)) + SUM(ABS(approved_revisions)) + SUM(ABS(approved_changes))
                       + SUM(ABS(committed)) + SUM(ABS(actual_cost)) + SUM(ABS(billed))
                       + SUM(ABS(retention_receivable)) + SUM(ABS(retention_payable)) <> 0
            ), forecast AS (
                SELECT *,
                       GREATEST(committed - (actual_cost - uncommitted_cost), 0) AS open_commitment,
                       GREATEST(revised_budget - committed - uncommitted_cost, 0) AS uncommitted_budget
                  FROM totals
            )
            SELECT row_number() OVER (ORDER BY project_id, cost_code_id) AS id,
                   project_id, cost_code_id, company_id,
                   original_budget, approved_revisions, approved_changes, revised_budget,
                   committed, actual_cost, uncommitted_cost, billed,
                   retention_receivable, retention_payable,
                   revised_budget - committed - uncommitted_cost AS remaining,
                   open_commitment, uncommitted_budget,
                   actual_cost + open_commitment + uncommitted_budget AS estimate_at_completion,
                   open_commitment + uncommitted_budget AS cost_to_complete,
                   CASE WHEN actual_cost + open_commitment + uncommitted_budget > 0
                        THEN ROUND(100 * actual_cost / (actual_cost + open_commitment + uncommitted_budget), 2)
                        ELSE 0 END AS percent_complete,
                   revised_budget - (actual_cost + open_commitment + uncommitted_budget) AS projected_variance
              FROM forecast
            )
        """.format(table=self._table, analytic=self._analytic_sources()))

    @api.model
    # Odoo's signature names the argument `fields`, and callers pass it by that name.
    # pylint: disable-next=redefined-outer-name
    def read_group(self, domain, fields, groupby, offset=0, limit=None, orderby=False, lazy=True):
        # A group's % complete is its actual cost over its estimate at completion, not an average
        # (nor a sum) of its rows' percentages.
        names = {spec.split(":")[0] for spec in fields}
        if "percent_complete" not in names:
            return super().read_group(domain, fields, groupby, offset=offset, limit=limit, orderby=orderby, lazy=lazy)
        extra = ["percent_actual:sum(actual_cost)", "percent_eac:sum(estimate_at_completion)"]
        groups = super().read_group(domain, list(fields) + extra, groupby, offset=offset, limit=limit,
                                    orderby=orderby, lazy=lazy)
        for group in groups:
            actual, eac = group.pop("percent_actual", 0.0) or 0.0, group.pop("percent_eac", 0.0) or 0.0
            group["percent_complete"] = round(100 * actual / eac, 2) if eac > 0 else 0.0
        return groups
