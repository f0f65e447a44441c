from datetime import datetime, timedelta

from odoo import _, api, fields, models

PERIODS = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}


class ConstructionSyncReconcileSchedule(models.Model):
    """When a system is expected to send a snapshot of one object type. A snapshot that has not
    arrived by its time plus the grace period is itself an alert: the schedule is flagged
    (`missing`, which the cockpit and the system read) and each integration manager of the
    company gets an activity, once per expected snapshot."""

    _name = "construction.sync.reconcile.schedule"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Reconciliation Schedule"
    _order = "system_id, object_type"

    system_id = fields.Many2one("construction.sync.system", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    object_type = fields.Selection(selection="_selection_object_type", required=True)
    active = fields.Boolean(default=True)
    interval = fields.Selection([("daily", "Every Day"), ("weekly", "Every Week")], default="daily", required=True)
    weekday = fields.Selection([(str(d), name) for d, name in enumerate(
        ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"])], default="0",
        help="Weekly schedules: the day the snapshot is expected.")
    hour_utc = fields.Integer(string="Expected at (UTC hour)", default=2,
                              help="The hour (UTC) by which the snapshot is expected, e.g. 2 for a nightly one.")
    grace_hours = fields.Integer(default=2, help="How late a snapshot may be before it is called missing.")
    missing = fields.Boolean(readonly=True, tracking=True, help="The last expected snapshot did not arrive.")
    alerted_for = fields.Datetime(readonly=True, help="The expected snapshot the managers were alerted about.")
    last_run_id = fields.Many2one("construction.sync.reconcile.run", readonly=True, ondelete="set null")

    _sql_constraints = [
        ("schedule_uniq", "unique(system_id, object_type)", "One schedule per system and snapshot type."),
        ("hour_range", "CHECK(hour_utc >= 0 AND hour_utc < 24)", "The hour lies between 0 and 23."),
    ]

    @api.model
    def _selection_object_type(self):
        return self.env["construction.sync.reconcile"]._object_type_selection()

    @api.depends("system_id", "object_type")
    def _compute_display_name(self):
        for schedule in self:
            schedule.display_name = "%s · %s" % (schedule.system_id.name, schedule.object_type)

    def _expected_at(self, now):
        """The latest moment a snapshot was due that the grace period has passed too."""
        self.ensure_one()
        limit = now - timedelta(hours=self.grace_hours)
        due = datetime.combine(limit.date(), datetime.min.time()) + timedelta(hours=self.hour_utc)
        if due > limit:
            due -= timedelta(days=1)
        if self.interval == "weekly":
            due -= timedelta(days=(due.weekday() - int(self.weekday or 0)) % 7)
        return due

    def _check(self, now):
        Run = self.env["construction.sync.reconcile.run"].sudo()
        Reconcile = self.env["construction.sync.reconcile"]
        for schedule in self:
            due = schedule._expected_at(now)
            arrived = Run.search_count([
                ("system_id", "=", schedule.system_id.id), ("object_type", "=", schedule.object_type),
                ("create_date", ">", due - PERIODS[schedule.interval]),
            ])
            if arrived:
                if schedule.missing:
                    schedule.missing = False
                    Reconcile._close_alerts(schedule, _("The snapshot arrived."))
                continue
            schedule.missing = True
            if schedule.alerted_for == due:
                continue
            schedule.alerted_for = due
            note = _("%(system)s did not send its %(type)s snapshot expected by %(due)s UTC.",
                     system=schedule.system_id.name, type=schedule.object_type, due=due)
            # once=False: each expected snapshot that does not come is an alert of its own.
            Reconcile._alert_managers(schedule, _("Snapshot missing"), note, once=False)
