from odoo import _, fields, models
from odoo.exceptions import UserError

PAY_TYPES = [("regular", "Regular"), ("overtime", "Overtime"), ("double_time", "Double Time")]


class ResCompany(models.Model):
    _inherit = "res.company"

    # Labor burden: what an hour costs the company beyond the wage. Payroll taxes and workers'
    # insurance follow the wages paid (so the overtime premium too): a percentage; union fringes
    # and benefits are owed per hour worked whatever its pay type: a per-hour add-on.
    construction_labor_burden_percent = fields.Float(
        string="Labor Burden %", digits=(5, 2),
        help="Payroll taxes and insurance on the wages paid, overtime premium included.",
    )
    construction_labor_burden_hourly = fields.Monetary(
        string="Labor Burden per Hour", currency_field="currency_id",
        help="Benefits and fringes added to every hour worked, whatever its pay type.",
    )
    construction_overtime_multiplier = fields.Float(string="Overtime Multiplier", digits=(4, 2), default=1.5)
    construction_double_time_multiplier = fields.Float(string="Double Time Multiplier", digits=(4, 2), default=2.0)

    _sql_constraints = [
        ("construction_labor_burden_percent_range",
         "CHECK(construction_labor_burden_percent >= 0 AND construction_labor_burden_percent <= 1000)",
         "The labor burden percentage must lie between 0 and 1000."),
        ("construction_overtime_multiplier_positive",
         "CHECK(construction_overtime_multiplier >= 1 AND construction_double_time_multiplier >= 1)",
         "Overtime multipliers cannot be below 1."),
    ]

    def _construction_labor_rate(self, base_rate, pay_type):
        """The loaded cost of one hour of `pay_type` for an employee whose wage is `base_rate`:
        wage x multiplier, plus the percentage burden on that, plus the per-hour add-on."""
        self.ensure_one()
        multiplier = {
            "overtime": self.construction_overtime_multiplier,
            "double_time": self.construction_double_time_multiplier,
        }.get(pay_type, 1.0)
        wage = base_rate * multiplier
        return wage * (1 + self.construction_labor_burden_percent / 100.0) + self.construction_labor_burden_hourly

    def _construction_check_labor_date(self, date):
        """Refuses labor dated in a closed period: a closed payroll period, or books locked for
        everyone (fiscal year and hard lock); the accountant reopens, not the field."""
        self.ensure_one()
        date = fields.Date.to_date(date)
        period = self.env["construction.payroll.period"].sudo().search([
            ("company_id", "=", self.id), ("state", "=", "closed"),
            ("date_from", "<=", date), ("date_to", ">=", date),
        ], limit=1)
        if period:
            raise UserError(_("Payroll period %(period)s is closed: no crew hours can be entered or changed on "
                              "%(date)s.", period=period.display_name, date=date))
        locks = self._get_lock_date_violations(date, fiscalyear=True, sale=False, purchase=False, tax=False,
                                               hard=True)
        if locks:
            raise UserError(_("The books of %(company)s are locked on %(date)s (%(locks)s): crew hours of that day "
                              "cannot reach the job cost.", company=self.name, date=date,
                              locks=self._format_lock_dates(locks)))
