from odoo import Command, _, api, fields, models


class CrmLead(models.Model):
    """A won opportunity becomes the project shell, once: customer, contract value (the signed
    amount, else the expected revenue), default retention, the estimator's budget, and the
    external id the project platform will use for the job."""

    _inherit = "crm.lead"

    construction_signed_amount = fields.Monetary(
        string="Signed Contract Amount", currency_field="company_currency",
        help="The amount of the signed contract; when empty, the expected revenue is the contract value.",
    )
    construction_retention_percent = fields.Float(
        string="Retention %", digits=(5, 2), default=10.0,
        help="Default retention of the project's progress billings.",
    )
    construction_project_ref = fields.Char(
        string="Project Platform Id", copy=False,
        help="The id the project platform will use for this job (e.g. P-500); the project is mapped to it.",
    )
    construction_system_id = fields.Many2one(
        "construction.sync.system", string="Project Platform", copy=False,
        help="The external system that will send this job's events.",
    )
    construction_estimate_line_ids = fields.One2many("crm.lead.estimate.line", "lead_id", string="Estimate",
                                                     copy=True)
    construction_project_id = fields.Many2one("project.project", string="Project", readonly=True, copy=False,
                                              index="btree_not_null")

    _sql_constraints = [
        ("construction_retention_range",
         "CHECK(construction_retention_percent >= 0 AND construction_retention_percent <= 100)",
         "The retention percentage must lie between 0 and 100."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        leads = super().create(vals_list)
        leads._construction_create_projects()
        return leads

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals or "probability" in vals or "active" in vals:
            self._construction_create_projects()
        return result

    def _construction_create_projects(self):
        """Creates the project of each won opportunity that has none yet."""
        for lead in self.filtered(lambda lead: lead.type == "opportunity" and lead.active and lead.stage_id.is_won):
            # Two people winning the same opportunity at once: the second waits here and sees the first's project.
            self.env.cr.execute("SELECT construction_project_id FROM crm_lead WHERE id = %s FOR UPDATE", (lead.id,))
            if self.env.cr.fetchone()[0]:
                lead.invalidate_recordset(["construction_project_id"])
                continue
            lead._construction_create_project()

    def _construction_project_values(self):
        self.ensure_one()
        customer = self.partner_id.commercial_partner_id
        return {
            "name": self.name,
            "partner_id": customer.id,
            "company_id": (self.company_id or self.env.company).id,
            "original_contract_value": self.construction_signed_amount or self.expected_revenue,
            "retention_percent": self.construction_retention_percent,
            "user_id": self.user_id.id,
            "construction_lead_id": self.id,
        }

    def _construction_create_project(self):
        self.ensure_one()
        Project = self.env["project.project"].sudo()
        project = Project.create(self._construction_project_values())
        self.sudo().construction_project_id = project
        if self.construction_estimate_line_ids:
            self.env["construction.budget"].sudo().create({
                "project_id": project.id, "version": 1, "date": fields.Date.context_today(self),
                "reason": _("Estimate of opportunity %s", self.name),
                "item_ids": [Command.create({"cost_code_id": line.cost_code_id.id, "amount": line.amount,
                                             "quantity": line.quantity, "unit": line.unit})
                             for line in self.construction_estimate_line_ids],
            })
        if self.construction_project_ref and self.construction_system_id:
            Mapping = self.env["construction.sync.mapping"].sudo()
            mapping = Mapping._find(self.construction_system_id, "project.project", self.construction_project_ref)
            if mapping:
                mapping.res_id = project.id
            else:
                Mapping.create({"system_id": self.construction_system_id.id, "res_model": "project.project",
                                "external_id": self.construction_project_ref, "res_id": project.id})
        project._construction_publish_created()
        self.message_post(body=_("Project %s created from the won opportunity.", project._get_html_link()))
        return project

    def action_view_construction_project(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "project.project",
                "res_id": self.construction_project_id.id, "views": [(False, "form")]}
