from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models.construction_rental_line import company_tz, format_local, to_local


class ConstructionRentalBillingWizard(models.TransientModel):
    """Runs the rental billing of the current company by hand, up to a chosen day and time in
    the company's time zone (the first of this month, 00:00, by default). A date and a time of
    day rather than a datetime field: the web client would read a datetime in the user's own
    time zone, and a user in another zone than the company's would bill to another moment than
    the cron (a US user's "Dec 1 00:00" for a UTC company is 06:00 UTC)."""

    _name = "construction.rental.billing.wizard"
    _description = "Run Rental Billing"

    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    company_tz = fields.Char(string="Company Time Zone", compute="_compute_period_end")
    period_end_date = fields.Date(
        string="Bill Up To", required=True, default=lambda self: self._default_period_end_date(),
        help="Everything on rent before this day (at the time below, in the company's time zone) is billed; "
        "what was billed before is not billed again.",
    )
    period_end_time = fields.Float(
        string="At", default=0.0, help="Time of day in the company's time zone; 00:00 is midnight starting that day.")
    period_end = fields.Datetime(string="Bill Up To (UTC)", compute="_compute_period_end")
    period_end_summary = fields.Char(string="Moment", compute="_compute_period_end")

    @api.model
    def _default_period_end_date(self):
        return to_local(self.env["construction.rental.billing"]._default_period_end(self.env.company),
                        self.env.company).date()

    @api.depends("company_id", "period_end_date", "period_end_time")
    def _compute_period_end(self):
        Billing = self.env["construction.rental.billing"]
        for wizard in self:
            company = wizard.company_id or self.env.company
            wizard.company_tz = company_tz(company).zone
            if wizard.period_end_date and 0 <= wizard.period_end_time < 24:
                wizard.period_end = Billing._local_moment(wizard.period_end_date, wizard.period_end_time, company)
                wizard.period_end_summary = _("%(local)s, which is %(utc)s UTC",
                                              local=format_local(wizard.period_end, company), utc=wizard.period_end)
            else:
                wizard.period_end = False
                wizard.period_end_summary = False

    def action_run(self):
        self.ensure_one()
        if not self.period_end:
            raise UserError(_("The time of day runs from 00:00 to 23:59."))
        billings = self.env["construction.rental.billing"]._run(self.period_end, company=self.company_id)
        action = self.env["ir.actions.act_window"]._for_xml_id("construction_rental.construction_rental_billing_action")
        action["domain"] = [("id", "in", billings.ids)]
        return action
