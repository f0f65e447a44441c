from odoo import fields, models


class ConstructionSyncTestContact(models.Model):
    """Test only: the master data of the engine's tests (what res.partner is to construction_base)."""

    _name = "construction.sync.test.contact"
    _description = "Sync Test Contact"
    _order = "id"

    name = fields.Char(required=True)
    email = fields.Char()
    phone = fields.Char()
    customer_rank = fields.Integer()
    supplier_rank = fields.Integer()
    is_subcontractor = fields.Boolean()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
