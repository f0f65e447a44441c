from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ProjectProject(models.Model):
    _inherit = "project.project"

    construction_bill_by_milestone = fields.Boolean(
        string="Bill by Milestone", tracking=True,
        help="Billable milestones bill their share of the contract when reached, besides any pay application.",
    )
    construction_milestone_auto_invoice = fields.Boolean(
        string="Draft Invoice on Milestone",
        help="Reaching a billable milestone creates its draft invoice at once; otherwise it waits in the "
        "Ready to Bill list for the accountant.",
    )
    construction_milestone_percent = fields.Float(
        string="Contract Share by Milestones", compute="_compute_construction_milestone_percent", digits=(5, 2),
    )

    @api.depends("milestone_ids.construction_billing_percent", "milestone_ids.construction_billable")
    def _compute_construction_milestone_percent(self):
        for project in self:
            project.construction_milestone_percent = sum(
                project.milestone_ids.filtered("construction_billable").mapped("construction_billing_percent"))

    @api.constrains("milestone_ids")
    def _check_construction_milestone_percent(self):
        for project in self:
            if project.construction_milestone_percent > 100.0 + 1e-6:
                raise ValidationError(_("The billable milestones of %(project)s bill %(percent)s%% of the contract: "
                                        "no more than 100%% can be billed.", project=project.name,
                                        percent=project.construction_milestone_percent))
