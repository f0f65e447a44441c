from odoo import _, fields, models
from odoo.exceptions import UserError


class ProjectProject(models.Model):
    """A project is a construction contract: its customer (partner_id), contract value, default
    retention, cost codes and analytic account. construction_contract adds what moves the value
    (change orders) and what bills against it."""

    _inherit = "project.project"

    original_contract_value = fields.Monetary(currency_field="currency_id", tracking=True)
    retention_percent = fields.Float(
        string="Default Retention %", digits=(5, 2),
        help="Share of each progress billing withheld until the retention is released.",
    )
    contract_closed = fields.Boolean(
        copy=False, tracking=True,
        help="A closed contract takes no further change orders.",
    )
    cost_code_ids = fields.One2many("construction.cost.code", "project_id", string="Project Cost Codes")

    _sql_constraints = [
        ("retention_percent_range", "CHECK(retention_percent >= 0 AND retention_percent <= 100)",
         "The retention percentage must lie between 0 and 100."),
    ]

    def _construction_analytic_account(self):
        """The project's analytic account, created the way Odoo does on first need."""
        self.ensure_one()
        if not self.account_id:
            self.sudo()._create_analytic_account()
        return self.account_id

    def _construction_check_open(self, change_order_number):
        """Refuses change orders on a closed contract (entered by hand or sent by an event)."""
        self.ensure_one()
        if self.contract_closed:
            raise UserError(_("Project %(project)s is closed: change order %(co)s cannot be entered or approved.",
                              project=self.display_name, co=change_order_number))

    def action_close_contract(self):
        self.contract_closed = True

    def action_reopen_contract(self):
        self.contract_closed = False
