from odoo import api, fields, models


class ConstructionCrewSheet(models.Model):
    """A daily crew sheet approved in the field: one project, one day, the crew's hours by
    employee, cost code and pay type. Its timesheet lines are the job cost; a corrected sheet
    (same external id) replaces them all, so the job cost always says what the last approved
    version of the sheet says."""

    _name = "construction.crew.sheet"
    _description = "Crew Sheet"
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(string="Sheet", required=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    project_id = fields.Many2one("project.project", required=True, readonly=True, check_company=True, index=True)
    date = fields.Date(required=True, readonly=True, index=True)
    approved_by = fields.Char(readonly=True, help="Who approved the sheet in the field system.")
    revision = fields.Integer(readonly=True, default=1, help="1 for the first version; each correction adds one.")
    timesheet_ids = fields.One2many("account.analytic.line", "construction_crew_sheet_id", string="Timesheet Lines",
                                    readonly=True)
    equipment_ids = fields.One2many("construction.crew.sheet.equipment", "sheet_id", string="Equipment Used",
                                    readonly=True)
    total_hours = fields.Float(compute="_compute_totals", digits=(16, 2))
    labor_cost = fields.Monetary(compute="_compute_totals", string="Loaded Labor Cost")

    @api.depends("timesheet_ids.unit_amount", "timesheet_ids.amount")
    def _compute_totals(self):
        for sheet in self:
            sheet.total_hours = sum(sheet.timesheet_ids.mapped("unit_amount"))
            sheet.labor_cost = -sum(sheet.timesheet_ids.mapped("amount"))
