import base64
import csv
import io

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# The layout payroll systems import: one row per employee, day, job, cost code and pay type.
CSV_HEADER = ["employee", "employee_id", "date", "project", "cost_code", "pay_type", "hours"]


class ConstructionPayrollPeriod(models.Model):
    """A pay period of the company. While open, approved crew sheets land in it; closing it
    freezes its hours (sheets dated in it are refused, corrections included) and hands the
    hours to payroll as a CSV file."""

    _name = "construction.payroll.period"
    _description = "Payroll Period"
    _order = "date_from desc, id desc"
    _inherit = ["mail.thread"]

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    date_from = fields.Date(required=True)
    date_to = fields.Date(required=True)
    state = fields.Selection([("open", "Open"), ("closed", "Closed")], default="open", required=True,
                             tracking=True, copy=False)
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_on = fields.Datetime(readonly=True, copy=False)
    export_file = fields.Binary(string="Payroll Export", attachment=True, readonly=True, copy=False)
    export_filename = fields.Char(readonly=True, copy=False)

    _sql_constraints = [
        ("dates_order", "CHECK(date_from <= date_to)", "A payroll period cannot end before it starts."),
    ]

    @api.depends("date_from", "date_to")
    def _compute_name(self):
        for period in self:
            period.name = "%s - %s" % (period.date_from, period.date_to) if period.date_from else False

    @api.constrains("date_from", "date_to", "company_id")
    def _check_overlap(self):
        for period in self:
            if self.search_count([("id", "!=", period.id), ("company_id", "=", period.company_id.id),
                                  ("date_from", "<=", period.date_to), ("date_to", ">=", period.date_from)]):
                raise ValidationError(_("Payroll period %s overlaps another period of the company.", period.name))

    def _timesheets(self):
        self.ensure_one()
        return self.env["account.analytic.line"].search([
            ("company_id", "=", self.company_id.id), ("project_id", "!=", False), ("employee_id", "!=", False),
            ("date", ">=", self.date_from), ("date", "<=", self.date_to),
        ], order="employee_id, date, project_id, id")

    def _csv_rows(self):
        """Hours per employee, date, project, cost code and pay type, summed over lines."""
        self.ensure_one()
        totals = {}
        for line in self._timesheets():
            cost_code = line.construction_cost_code_id or line.task_id.cost_code_id
            key = (line.employee_id.name, line.employee_id.id, str(line.date), line.project_id.name,
                   cost_code.code or "", line.construction_pay_type or "regular")
            totals[key] = totals.get(key, 0.0) + line.unit_amount
        return [list(key[:1]) + [self._external_employee_id(key[1])] + list(key[2:]) + ["%.2f" % hours]
                for key, hours in totals.items()]

    def _external_employee_id(self, employee_id):
        """The payroll system knows the employee by the id the HR system sent (employee.upserted);
        hand-made employees go by their Odoo badge or database id."""
        mapping = self.env["construction.sync.mapping"].sudo().search(
            [("res_model", "=", "hr.employee"), ("res_id", "=", employee_id)], limit=1)
        employee = self.env["hr.employee"].sudo().browse(employee_id)
        return mapping.external_id or employee.barcode or str(employee_id)

    def _csv(self):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        writer.writerows(self._csv_rows())
        return buffer.getvalue()

    def action_export_csv(self):
        self.ensure_one()
        self.write({
            "export_file": base64.b64encode(self._csv().encode()),
            "export_filename": "payroll_%s_%s_%s.csv" % (self.company_id.id, self.date_from, self.date_to),
        })
        return {
            "type": "ir.actions.act_url",
            "url": "/web/content/%s/%s/export_file/%s?download=true" % (self._name, self.id, self.export_filename),
            "target": "self",
        }

    def action_close(self):
        for period in self:
            if period.state != "open":
                raise UserError(_("Payroll period %s is already closed.", period.name))
        self.write({"state": "closed", "closed_by_id": self.env.uid, "closed_on": fields.Datetime.now()})
        for period in self:
            period.action_export_csv()
        self._construction_publish_closed()
        return True

    def _construction_publish_closed(self):
        """Tells the payroll system the period's hours are final (outbound payroll.period_closed)."""
        self.env["construction.sync.outbox"]._publish("payroll.period_closed", self)

    def action_reopen(self):
        for period in self:
            if period.state != "closed":
                raise UserError(_("Payroll period %s is not closed.", period.name))
        self.write({"state": "open", "closed_by_id": False, "closed_on": False})
        return True
