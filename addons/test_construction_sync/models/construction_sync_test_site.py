from odoo import fields, models


class ConstructionSyncTestSite(models.Model):
    """Test only: an object that references a contact (what a project is to its customer)."""

    _name = "construction.sync.test.site"
    _description = "Sync Test Site"
    _order = "id"

    name = fields.Char(required=True)
    customer_id = fields.Many2one("construction.sync.test.contact", ondelete="restrict")
    contract_value = fields.Float()
    retention_percent = fields.Float()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
