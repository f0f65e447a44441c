from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    construction_responsible_id = fields.Many2one(
        "res.users", string="Construction Responsible",
        domain="[('share', '=', False)]",
        help="Receives the activities the construction apps schedule (e.g. a submittal hold) when the "
        "document has no buyer and its project no responsible of its own.",
    )
