from odoo import fields, models, tools


class ConstructionEquipmentUtilization(models.Model):
    """Utilization per machine and calendar month (UTC): days on rent (dispatch to return, or to
    now while still out) over the days of the month. Downtime counts as on rent here: the machine
    was committed to the project even when it could not work; billing is where downtime pauses."""

    _name = "construction.equipment.utilization"
    _description = "Equipment Utilization"
    _auto = False
    _order = "month desc, equipment_id"
    _depends = {
        "construction.rental.line": ["equipment_id", "company_id", "state", "dispatched_at", "returned_at"],
    }

    equipment_id = fields.Many2one("maintenance.equipment", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    month = fields.Date(readonly=True)
    days_on_rent = fields.Float(digits=(12, 2), readonly=True)
    days_in_month = fields.Integer(readonly=True, aggregator="max")
    utilization = fields.Float(
        string="Utilization %", digits=(5, 1), readonly=True, aggregator="avg",
        help="Days on rent over the days of the month; grouped over several months, their average.",
    )

    def init(self):
        # A view because the months a rental spans are rows that exist nowhere: generate_series
        # cuts each rental into calendar months, which the ORM cannot express.
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute("""
            CREATE VIEW %s AS (
                WITH spans AS (
                    SELECT l.equipment_id, l.company_id, l.dispatched_at AS start_at,
                           COALESCE(l.returned_at, NOW() AT TIME ZONE 'utc') AS end_at
                      FROM construction_rental_line l
                     WHERE l.dispatched_at IS NOT NULL AND l.state != 'cancelled'
                ), cut AS (
                    SELECT s.equipment_id, s.company_id, m.month,
                           EXTRACT(EPOCH FROM LEAST(s.end_at, m.month + INTERVAL '1 month')
                                            - GREATEST(s.start_at, m.month)) / 86400.0 AS days
                      FROM spans s
                     CROSS JOIN LATERAL generate_series(date_trunc('month', s.start_at),
                                                        date_trunc('month', s.end_at), INTERVAL '1 month') AS m(month)
                )
                SELECT (cut.equipment_id * 100000
                        + EXTRACT(YEAR FROM cut.month) * 12 + EXTRACT(MONTH FROM cut.month))::int AS id,
                       cut.equipment_id, cut.company_id, cut.month::date AS month,
                       ROUND(SUM(GREATEST(cut.days, 0))::numeric, 4) AS days_on_rent,
                       EXTRACT(DAY FROM cut.month + INTERVAL '1 month' - INTERVAL '1 day')::int AS days_in_month,
                       ROUND((100 * SUM(GREATEST(cut.days, 0))
                              / EXTRACT(DAY FROM cut.month + INTERVAL '1 month' - INTERVAL '1 day'))::numeric, 2)
                           AS utilization
                  FROM cut
                 GROUP BY cut.equipment_id, cut.company_id, cut.month
            )
        """ % self._table)
