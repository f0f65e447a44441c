from odoo import SUPERUSER_ID, _, fields, models
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
    # The contract decides the taxes of what is billed on it, not the products billed (a pay
    # application line has none): see _construction_sale_taxes. No company check, as a project
    # shared by all companies has none; the helpers keep the taxes of the billing company.
    construction_tax_ids = fields.Many2many(
        "account.tax", "project_project_construction_sale_tax_rel", "project_id", "tax_id",
        string="Billing Taxes", domain="[('type_tax_use', '=', 'sale')]",
        help="Customer taxes on this contract's progress billing (pay applications) and rental invoices, "
        "before the customer's fiscal position maps them. Empty: billed without tax.",
    )
    construction_purchase_tax_ids = fields.Many2many(
        "account.tax", "project_project_construction_purchase_tax_rel", "project_id", "tax_id",
        string="Subcontract Taxes", domain="[('type_tax_use', '=', 'purchase')]",
        help="Vendor taxes on this project's commitments and subcontractor bills, before the vendor's "
        "fiscal position maps them. Empty: billed without tax.",
    )
    construction_responsible_id = fields.Many2one(
        "res.users", string="Construction Responsible", tracking=True, domain="[('share', '=', False)]",
        help="Receives the activities the construction apps schedule for this project (e.g. a submittal "
        "hold) when the document has no buyer; left empty, the company's responsible, then the project manager.",
    )

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

    def _construction_sale_taxes(self, partner=None):
        """The customer taxes of an amount billed on this contract (a pay application line, a
        rental line): the project's billing taxes, mapped by the fiscal position of `partner`
        (the project's customer by default), so an exempt or foreign customer's position maps
        them to its own taxes, or to none."""
        self.ensure_one()
        return self._construction_map_taxes(self.construction_tax_ids, partner or self.partner_id)

    def _construction_purchase_taxes(self, vendor):
        """The vendor taxes of an amount a subcontractor bills on this project (a commitment
        line and so its bills): the project's subcontract taxes, mapped by `vendor`'s fiscal
        position."""
        self.ensure_one()
        return self._construction_map_taxes(self.construction_purchase_tax_ids, vendor)

    def _construction_map_taxes(self, taxes, partner):
        company = self.company_id or self.env.company
        taxes = taxes._filter_taxes_by_company(company)
        if not taxes or not partner:
            return taxes
        fiscal_position = self.env["account.fiscal.position"].with_company(company)._get_fiscal_position(partner)
        return fiscal_position.map_tax(taxes)

    def _construction_activity_user(self, preferred=None, company=None):
        """Who gets an activity the construction apps schedule about this project (which may be
        empty): `preferred` (e.g. a purchase order's buyer), else the project's responsible, else
        the company's, else the project manager, else the company's first construction manager.
        Only an active internal user of `company` counts: documents and projects created from
        events belong to OdooBot, and an activity for it (an archived user) or for someone who
        cannot open the company's records reaches nobody."""
        company = company or self.company_id or self.env.company
        Users = self.env["res.users"].sudo()
        for user in (preferred, self.construction_responsible_id, company.construction_responsible_id, self.user_id):
            user = Users.browse(user.ids) if user else Users
            if user and user.active and not user.share and not user._is_superuser() and company in user.company_ids:
                return user.with_env(self.env)
        return Users.search([
            ("groups_id", "in", self.env.ref("construction_base.group_manager").ids), ("share", "=", False),
            ("company_ids", "in", company.ids), ("id", "!=", SUPERUSER_ID),
        ], order="id", limit=1).with_env(self.env)

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
