from odoo import fields, models


class ProjectProject(models.Model):
    _inherit = "project.project"

    construction_lead_id = fields.Many2one(
        "crm.lead", string="Won Opportunity", readonly=True, copy=False, index="btree_not_null",
        ondelete="set null", help="The opportunity whose win created this project.",
    )

    # One project per won opportunity, whoever wins it twice and however fast.
    _sql_constraints = [
        ("construction_lead_unique", "UNIQUE(construction_lead_id)", "An opportunity creates one project only."),
    ]

    def _construction_publish_created(self):
        """Tells the project platform about a project created in Odoo (outbound project.created)."""
        self.env["construction.sync.outbox"]._publish("project.created", self)
