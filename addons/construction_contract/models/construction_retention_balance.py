from odoo import fields, models, tools


class ConstructionRetentionBalance(models.Model):
    """Retention held per project, partner and side, read from posted journal items on the
    company's retention accounts: the books are the only truth, so a manual journal entry or
    a credit note on those accounts shows here too.

    Signs: amounts are positive when retention is held, on both sides (a debit balance on
    Retention Receivable, a credit balance on Retention Payable)."""

    _name = "construction.retention.balance"
    _description = "Retention Balance"
    _auto = False
    _order = "project_id, side, partner_id"

    company_id = fields.Many2one("res.company", readonly=True)
    project_id = fields.Many2one("project.project", readonly=True)
    partner_id = fields.Many2one("res.partner", readonly=True)
    side = fields.Selection(
        [("receivable", "Receivable from Customers"), ("payable", "Payable to Subcontractors")], readonly=True,
    )
    account_id = fields.Many2one("account.account", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    withheld = fields.Monetary(readonly=True)
    released = fields.Monetary(readonly=True)
    balance = fields.Monetary(string="Held", readonly=True)

    def init(self):
        # An aggregate over journal items: the ORM has no GROUP BY view. The row id is the
        # smallest journal item id of the group, stable across reads so actions can target a row.
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            """
            CREATE VIEW %s AS (
                SELECT MIN(aml.id) AS id,
                       aml.company_id,
                       am.construction_project_id AS project_id,
                       aml.partner_id,
                       sides.side,
                       aml.account_id,
                       company.currency_id,
                       SUM(CASE WHEN aml.construction_retention = 'released' THEN 0
                                ELSE aml.balance * sides.sign END) AS withheld,
                       SUM(CASE WHEN aml.construction_retention = 'released' THEN -aml.balance * sides.sign
                                ELSE 0 END) AS released,
                       SUM(aml.balance * sides.sign) AS balance
                  FROM account_move_line aml
                  JOIN account_move am ON am.id = aml.move_id
                  JOIN res_company company ON company.id = aml.company_id
                  JOIN (SELECT id AS company_id, retention_receivable_account_id AS account_id,
                               'receivable' AS side, 1 AS sign FROM res_company
                        UNION ALL
                        SELECT id, retention_payable_account_id, 'payable', -1 FROM res_company
                       ) sides ON sides.company_id = aml.company_id AND sides.account_id = aml.account_id
                 WHERE am.state = 'posted'
                 GROUP BY aml.company_id, am.construction_project_id, aml.partner_id, sides.side,
                          aml.account_id, company.currency_id
            )
            """
            % self._table
        )

    def action_release(self):
        self.ensure_one()
        return self.env["construction.retention.release.wizard"]._action_open({
            "default_project_id": self.project_id.id, "default_partner_id": self.partner_id.id,
            "default_side": self.side,
        })
