from odoo import api, fields, models


class ConstructionRentalBillingWizard(models.TransientModel):
    """Runs the rental billing by hand, up to a chosen moment (the first of this month by default)."""

    _name = "construction.rental.billing.wizard"
    _description = "Run Rental Billing"

    period_end = fields.Datetime(
        string="Bill Up To", required=True,
        default=lambda self: self.env["construction.rental.billing"]._default_period_end(),
        help="Everything on rent before this moment is billed; what was billed before is not billed again.",
    )

    def action_run(self):
        self.ensure_one()
        billings = self.env["construction.rental.billing"]._run(self.period_end)
        action = self.env["ir.actions.act_window"]._for_xml_id("construction_rental.construction_rental_billing_action")
        action["domain"] = [("id", "in", billings.ids)]
        return action
