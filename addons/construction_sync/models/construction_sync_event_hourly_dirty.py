from psycopg2 import errors

from odoo import api, fields, models

from .construction_sync_event_hourly import hour_of


class ConstructionSyncEventHourlyDirty(models.Model):
    """Hours whose rollup no longer matches the events: one row per hour, written by the state
    changes of events received in a closed hour, removed by the next rollup."""

    _name = "construction.sync.event.hourly.dirty"
    _description = "Synced Events per Hour to Count Again"
    _log_access = False

    hour = fields.Datetime(required=True, readonly=True)

    _sql_constraints = [("hour_uniq", "unique(hour)", "An hour is marked once.")]

    @api.model
    def _mark(self, events):
        """Marks the closed hours `events` were received in. Events are almost always applied
        in the hour they arrive, so this usually costs no query at all."""
        current = hour_of(fields.Datetime.now())
        hours = {hour_of(event.received_at) for event in events if event.received_at and event.received_at < current}
        if not hours:
            return
        try:
            with self.env.cr.savepoint(flush=False):
                # ON CONFLICT: an hour marked by another runner's batch committed before ours began
                # is left as it is.
                self.env.cr.execute(
                    "INSERT INTO construction_sync_event_hourly_dirty (hour) SELECT unnest(%s::timestamp[])"
                    " ON CONFLICT DO NOTHING",
                    (sorted(hours),), log_exceptions=False,
                )
        except errors.SerializationFailure:
            # Marked by a transaction committed since ours began, which REPEATABLE READ neither
            # shows nor lets us insert over: marked either way. Both runners mark the hour just
            # closed at once; this failed a runner's whole batch every hour.
            pass
