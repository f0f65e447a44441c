from odoo import fields, models


class ConstructionSyncSystem(models.Model):
    """Reconciliation settings and flags of an external system (kept in this file so the
    reconciliation room stays apart from the intake's settings)."""

    _inherit = "construction.sync.system"

    # Off by default: the check reads the envelopes of the system's recent events, a cost only
    # systems that number their events should pay.
    sequence_grace_minutes = fields.Integer(
        string="Sequence Grace (minutes)", default=0,
        help="When the system numbers its events (envelope field `sequence`), a missing number that has not "
             "arrived this long after the next one becomes a sequence gap. 0: the system does not number its "
             "events; no gap detection.")
    sequence_window_days = fields.Integer(
        string="Sequence Window (days)", default=7,
        help="How many days of received events the gap detection looks at.")
    reconcile_schedule_ids = fields.One2many("construction.sync.reconcile.schedule", "system_id",
                                             string="Reconciliation Schedules")
    reconcile_alert = fields.Boolean(
        string="Snapshot Missing", compute="_compute_reconcile_alert",
        help="An expected snapshot did not arrive (see the reconciliation schedules).")

    def _compute_reconcile_alert(self):
        for system in self:
            system.reconcile_alert = any(system.sudo().reconcile_schedule_ids.mapped("missing"))
