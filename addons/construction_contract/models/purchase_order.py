from odoo import fields, models


class PurchaseOrder(models.Model):
    """A commitment: a subcontract or material purchase order for a project. Its lines carry
    cost codes; its bills carry the project and withhold its retention."""

    _inherit = "purchase.order"

    construction_project_id = fields.Many2one(
        "project.project", string="Construction Project", index="btree_not_null", check_company=True, tracking=True,
    )
    retention_percent = fields.Float(string="Retention %", digits=(5, 2), tracking=True)
    change_order_ids = fields.One2many("construction.change.order", "purchase_order_id", string="Change Orders")

    _sql_constraints = [
        ("retention_percent_range", "CHECK(retention_percent >= 0 AND retention_percent <= 100)",
         "The retention percentage must lie between 0 and 100."),
    ]

    def _prepare_invoice(self):
        values = super()._prepare_invoice()
        if self.construction_project_id:
            values.update(construction_project_id=self.construction_project_id.id,
                          retention_percent=self.retention_percent)
        return values

    def action_create_invoice(self):
        before = self.invoice_ids
        result = super().action_create_invoice()
        (self.invoice_ids - before).filtered("retention_percent").action_construction_apply_retention()
        return result
