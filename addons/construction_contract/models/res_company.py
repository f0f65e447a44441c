from odoo import Command, _, fields, models
from odoo.exceptions import UserError

# Where retention sits until it is released. Not receivable/payable account types: Odoo keeps
# those for the invoice's own due line, and retention is a separate balance that stays open for
# months while the invoice itself gets paid.
RETENTION_ACCOUNTS = {
    "receivable": {"field": "retention_receivable_account_id", "code": "121500",
                   "name": "Retention Receivable", "account_type": "asset_current"},
    "payable": {"field": "retention_payable_account_id", "code": "211500",
                "name": "Retention Payable", "account_type": "liability_current"},
}


class ResCompany(models.Model):
    _inherit = "res.company"

    retention_receivable_account_id = fields.Many2one(
        "account.account", check_company=True,
        help="Retention withheld by customers on progress billings, until they release it.",
    )
    retention_payable_account_id = fields.Many2one(
        "account.account", check_company=True,
        help="Retention withheld from subcontractors on their bills, until it is released to them.",
    )

    def _construction_retention_account(self, side):
        """The retention account of this company for `side` ("receivable" or "payable"),
        created on first use with the usual code when the chart has none configured."""
        self.ensure_one()
        spec = RETENTION_ACCOUNTS[side]
        account = self[spec["field"]]
        if account:
            return account
        if not self.chart_template:
            raise UserError(_("%s has no chart of accounts yet: install one before billing retention.", self.name))
        Account = self.env["account.account"].sudo().with_company(self)
        account = Account.search([("code", "=", spec["code"]), ("company_ids", "in", self.id)], limit=1)
        if not account:
            account = Account.create({
                "name": spec["name"], "code": spec["code"], "account_type": spec["account_type"],
                "company_ids": [Command.set(self.ids)],
            })
        self.sudo()[spec["field"]] = account
        return account
