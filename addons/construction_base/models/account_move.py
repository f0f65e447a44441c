from odoo import fields, models


class AccountMove(models.Model):
    """Invoices and bills of a construction project: every construction app that bills
    (contracts, rentals) files its documents under the project they belong to."""

    _inherit = "account.move"

    construction_project_id = fields.Many2one(
        "project.project", string="Construction Project", index="btree_not_null",
        check_company=True, tracking=True, copy=True,
    )
