from odoo import fields, models

from .construction_submittal import STATUSES


class ConstructionSubmittalRevision(models.Model):
    """One step of a submittal's history: a revision and the status it had, when and from whom."""

    _name = "construction.submittal.revision"
    _description = "Submittal Revision History"
    _order = "submittal_id, id desc"

    submittal_id = fields.Many2one("construction.submittal", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="submittal_id.company_id", store=True)
    revision = fields.Char(required=True)
    status = fields.Selection(STATUSES, required=True)
    note = fields.Char(help="Why a status was not applied, or what superseded the submittal.")
    applied = fields.Boolean(
        default=True, help="False for an older revision's status that arrived late and changed nothing.",
    )
    create_date = fields.Datetime(string="Recorded At", readonly=True)
