from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    construction_warranty_end = fields.Date(
        string="Warranty Until", compute="_compute_construction_warranty_end",
        help="The latest warranty end of this customer's completed projects.",
    )
    construction_warranty_project_ids = fields.One2many(
        "project.project", compute="_compute_construction_warranty_end", string="Projects Under Warranty",
    )

    @api.depends_context("company")
    def _compute_construction_warranty_end(self):
        today = fields.Date.context_today(self)
        for partner in self:
            projects = self.env["project.project"].search([
                ("partner_id", "child_of", partner.commercial_partner_id.id),
                ("construction_warranty_end", "!=", False),
            ]) if partner.id else self.env["project.project"]
            partner.construction_warranty_end = max(projects.mapped("construction_warranty_end"), default=False)
            partner.construction_warranty_project_ids = projects.filtered(
                lambda p: p.construction_warranty_end >= today)
