from odoo import fields, models

# Fields of a confirmed order whose change the field systems hear about (purchase_order.changed).
PUBLISHED_FIELDS = ("order_line", "partner_id", "construction_project_id", "retention_percent", "date_planned")


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

    def button_confirm(self):
        confirmed_before = self.filtered(lambda order: order.state in ("purchase", "done"))
        result = super().button_confirm()
        confirmed = self.filtered(lambda order: order.state in ("purchase", "done")) - confirmed_before
        if confirmed:
            self.env["construction.sync.outbox"]._publish("purchase_order.confirmed", confirmed)
        return result

    def write(self, vals):
        result = super().write(vals)
        if any(field in vals for field in PUBLISHED_FIELDS):
            changed = self.filtered(lambda order: order.state in ("purchase", "done"))
            if changed:
                self.env["construction.sync.outbox"]._publish("purchase_order.changed", changed)
        return result

    def action_create_invoice(self):
        before = self.invoice_ids
        result = super().action_create_invoice()
        (self.invoice_ids - before).filtered("retention_percent").action_construction_apply_retention()
        return result
