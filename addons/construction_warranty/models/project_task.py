from odoo import fields, models

TICKET_KINDS = [("callback", "Callback"), ("inspection", "Inspection"), ("warranty_claim", "Warranty Claim")]


class ProjectTask(models.Model):
    """A service ticket of a completed job: a task of the project, on the job's warranty cost
    code, so the hours spent on it reach the job cost there."""

    _inherit = "project.task"

    construction_ticket_kind = fields.Selection(TICKET_KINDS, string="Service Ticket", index="btree_not_null")
    construction_reported_on = fields.Date(string="Reported On")
    construction_in_warranty = fields.Boolean(
        string="In Warranty", help="Reported before the project's warranty end: the work is the contractor's cost; "
        "otherwise it is chargeable to the customer.",
    )
