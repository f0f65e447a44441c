from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ConstructionPayApplicationLine(models.Model):
    """One line of the schedule of values (AIA G703 continuation sheet), per cost code.

    Column E (work completed this period) includes stored materials installed during the period;
    column F is what is stored and not yet installed at the end of the period, so installing
    materials moves them from F into E and G does not count them twice."""

    _name = "construction.pay.application.line"
    _description = "Pay Application Line"
    _order = "application_id, sequence, id"
    _check_company_auto = True

    # identity
    application_id = fields.Many2one("construction.pay.application", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    cost_code_id = fields.Many2one("construction.cost.code", required=True, check_company=True, ondelete="restrict")
    description = fields.Char()
    company_id = fields.Many2one(related="application_id.company_id", store=True, index=True)
    project_id = fields.Many2one(related="application_id.project_id", store=True)
    state = fields.Selection(related="application_id.state")
    currency_id = fields.Many2one(related="application_id.currency_id")

    # G703 columns C to I
    scheduled_value = fields.Monetary(string="Scheduled Value")
    previous_work_completed = fields.Monetary(
        string="From Previous Application", readonly=True,
        help="Work completed on the earlier applications (their columns D + E).",
    )
    previous_materials_stored = fields.Monetary(
        readonly=True, help="Materials stored at the end of the previous application's period.",
    )
    work_completed_this_period = fields.Monetary(string="This Period")
    materials_stored = fields.Monetary(string="Materials Presently Stored")
    total_completed_stored = fields.Monetary(
        string="Completed & Stored to Date", compute="_compute_amounts", store=True,
    )
    percent_complete = fields.Float(string="% (G / C)", digits=(5, 2), compute="_compute_amounts", store=True,
                                    aggregator=False)
    balance_to_finish = fields.Monetary(compute="_compute_amounts", store=True)
    retainage_work = fields.Monetary(compute="_compute_amounts", store=True)
    retainage_stored = fields.Monetary(compute="_compute_amounts", store=True)
    retainage = fields.Monetary(compute="_compute_amounts", store=True)
    amount_this_period = fields.Monetary(
        string="Billed This Period", compute="_compute_amounts", store=True,
        help="G less the same on the previous application: work this period plus the change in stored materials.",
    )

    _sql_constraints = [
        ("cost_code_unique", "UNIQUE(application_id, cost_code_id)",
         "A cost code appears once on the schedule of values of an application."),
        ("materials_stored_positive", "CHECK(materials_stored >= 0)", "Stored materials cannot be negative."),
    ]

    @api.depends(
        "scheduled_value", "previous_work_completed", "previous_materials_stored", "work_completed_this_period",
        "materials_stored", "application_id.retention_percent", "application_id.materials_retention_percent",
        "currency_id",
    )
    def _compute_amounts(self):
        for line in self:
            currency = line.currency_id or self.env.company.currency_id
            work = line.previous_work_completed + line.work_completed_this_period
            total = work + line.materials_stored
            line.total_completed_stored = total
            line.percent_complete = 100.0 * total / line.scheduled_value if line.scheduled_value else 0.0
            line.balance_to_finish = line.scheduled_value - total
            # Rounded per line and summed on the application (see the application's docstring).
            line.retainage_work = currency.round(work * line.application_id.retention_percent / 100.0)
            line.retainage_stored = currency.round(
                line.materials_stored * line.application_id.materials_retention_percent / 100.0
            )
            line.retainage = line.retainage_work + line.retainage_stored
            line.amount_this_period = total - line.previous_work_completed - line.previous_materials_stored

    @api.constrains("scheduled_value", "previous_work_completed", "work_completed_this_period", "materials_stored")
    def _check_not_over_scheduled_value(self):
        for line in self:
            total = line.previous_work_completed + line.work_completed_this_period + line.materials_stored
            if line.currency_id.compare_amounts(total, line.scheduled_value) > 0:
                raise ValidationError(_(
                    "%(code)s on %(application)s: completed and stored to date (%(total)s) exceeds the "
                    "scheduled value (%(scheduled)s). Bill the excess through a change order.",
                    code=line.cost_code_id.display_name, application=line.application_id.display_name,
                    total=line.currency_id.format(total), scheduled=line.currency_id.format(line.scheduled_value),
                ))

    @api.onchange("cost_code_id")
    def _onchange_cost_code_id(self):
        if self.cost_code_id and not self.description:
            self.description = self.cost_code_id.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("description") and vals.get("cost_code_id"):
                vals["description"] = self.env["construction.cost.code"].browse(vals["cost_code_id"]).name
        lines = super().create(vals_list)
        lines.application_id._check_editable()
        return lines

    def write(self, vals):
        # The carry-forward writes the previous columns of drafts only; people edit drafts only.
        self.application_id._check_editable()
        return super().write(vals)

    def unlink(self):
        self.application_id._check_editable()
        return super().unlink()
