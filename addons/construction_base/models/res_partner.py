from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    is_subcontractor = fields.Boolean(
        help="Performs work on projects under a subcontract (as opposed to supplying material)."
    )
