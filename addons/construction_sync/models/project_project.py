from odoo import _, api, fields, models
from odoo.exceptions import UserError


class ProjectProject(models.Model):
    """A project is a construction contract: its customer (partner_id), contract value and
    approved changes, default retention, budget per cost code and analytic account."""

    _inherit = "project.project"

    original_contract_value = fields.Monetary(currency_field="currency_id", tracking=True)
    approved_change_order_total = fields.Monetary(
        string="Approved Change Orders", compute="_compute_contract_value", store=True, currency_field="currency_id",
    )
    revised_contract_value = fields.Monetary(
        compute="_compute_contract_value", store=True, currency_field="currency_id", tracking=True,
    )
    retention_percent = fields.Float(
        string="Default Retention %", digits=(5, 2),
        help="Share of each progress billing withheld until the retention is released.",
    )
    contract_closed = fields.Boolean(
        copy=False, tracking=True,
        help="A closed contract takes no further change orders.",
    )
    cost_code_ids = fields.One2many("construction.cost.code", "project_id", string="Project Cost Codes")
    change_order_ids = fields.One2many("construction.change.order", "project_id", string="Change Orders")
    budget_line_ids = fields.One2many("construction.budget.line", "project_id", string="Budget")
    commitment_ids = fields.One2many("purchase.order", "construction_project_id", string="Commitments")
    change_order_count = fields.Integer(compute="_compute_construction_counts")
    pay_application_count = fields.Integer(compute="_compute_construction_counts")
    commitment_count = fields.Integer(compute="_compute_construction_counts")

    _sql_constraints = [
        ("retention_percent_range", "CHECK(retention_percent >= 0 AND retention_percent <= 100)",
         "The retention percentage must lie between 0 and 100."),
    ]

    @api.depends("original_contract_value", "change_order_ids.state", "change_order_ids.kind",
                 "change_order_ids.amount_total")
    def _compute_contract_value(self):
        for project in self:
            approved = project.change_order_ids.filtered(lambda co: co.state == "approved" and co.kind == "prime")
            project.approved_change_order_total = sum(approved.mapped("amount_total"))
            project.revised_contract_value = project.original_contract_value + project.approved_change_order_total

    def _compute_construction_counts(self):
        change_orders = dict(self.env["construction.change.order"]._read_group(
            [("project_id", "in", self.ids)], ["project_id"], ["__count"]))
        commitments = dict(self.env["purchase.order"]._read_group(
            [("construction_project_id", "in", self.ids)], ["construction_project_id"], ["__count"]))
        pay_applications = dict(self.env["construction.pay.application"]._read_group(
            [("project_id", "in", self.ids)], ["project_id"], ["__count"]))
        for project in self:
            project.pay_application_count = pay_applications.get(project, 0)
            project.change_order_count = change_orders.get(project, 0)
            project.commitment_count = commitments.get(project, 0)

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

    def _construction_action(self, xml_id, domain_field):
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        action["domain"] = [(domain_field, "=", self.id)]
        action["context"] = {"default_%s" % domain_field: self.id}
        return action

    def action_view_change_orders(self):
        return self._construction_action("construction_sync.construction_change_order_action", "project_id")

    def action_view_commitments(self):
        return self._construction_action("construction_sync.purchase_order_commitment_action", "construction_project_id")

    def action_view_pay_applications(self):
        return self._construction_action("construction_sync.construction_pay_application_action", "project_id")

    def action_view_retention(self):
        action = self._construction_action("construction_sync.construction_retention_balance_action", "project_id")
        action["context"] = {}
        return action

    def action_view_job_cost(self):
        action = self._construction_action("construction_sync.construction_job_cost_action", "project_id")
        action["context"] = {}
        return action
