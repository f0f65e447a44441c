from datetime import timedelta

from odoo import _, api, fields, models


class ConstructionRentalDowntime(models.Model):
    """A period a machine on rent could not work. Whether it pauses billing is the line's policy
    (`downtime_min_hours`); a breakdown also opens a maintenance request, and the downtime stays
    open, pausing billing, until the field reports its end or the request is done."""

    _name = "construction.rental.downtime"
    _description = "Equipment Downtime"
    _order = "start desc, id desc"

    line_id = fields.Many2one("construction.rental.line", required=True, index=True, ondelete="cascade")
    equipment_id = fields.Many2one(related="line_id.equipment_id", store=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True)
    start = fields.Datetime(required=True)
    end = fields.Datetime(help="Empty while the machine is still down.")
    reason = fields.Char()
    breakdown = fields.Boolean(help="The machine broke: a maintenance request is opened for it.")
    maintenance_request_id = fields.Many2one("maintenance.request", readonly=True, ondelete="set null")
    duration_hours = fields.Float(compute="_compute_pauses_billing", store=True, digits=(12, 2))
    pauses_billing = fields.Boolean(compute="_compute_pauses_billing", store=True)

    _sql_constraints = [
        ("end_after_start", "CHECK(\"end\" IS NULL OR \"end\" > start)", "A downtime ends after it starts."),
    ]

    @api.depends("start", "end", "line_id.downtime_min_hours")
    def _compute_pauses_billing(self):
        for downtime in self:
            # Shown in hours with 2 decimals; the policy compares the exact length (_pauses).
            downtime.duration_hours = (downtime.end - downtime.start).total_seconds() / 3600.0 if downtime.end else 0.0
            downtime.pauses_billing = downtime._pauses(downtime.line_id)

    def _pauses(self, line):
        """Whether this downtime pauses the billing of `line` (its own line or a later line of
        its transfer chain) under that line's policy: open, or at least `downtime_min_hours`
        long to the second. A length rounded to hours first would let 3 h 59 min 59 s (3.9997 h,
        shown 4.00) pause a 4 h policy."""
        self.ensure_one()
        if not self.end:
            return True
        return self.end - self.start >= timedelta(hours=line.downtime_min_hours)

    def _covered_lines(self):
        """The lines of the transfer chain whose time on rent these downtimes overlap: a
        breakdown from before a transfer to after it pauses the lines on both sides."""
        lines = self.env["construction.rental.line"]
        for downtime in self:
            for line in downtime.line_id._transfer_chain():
                if line.dispatched_at and (not downtime.end or downtime.end > line.dispatched_at) and (
                        not line.returned_at or downtime.start < line.returned_at):
                    lines |= line
        return lines

    @api.model_create_multi
    def create(self, vals_list):
        downtimes = super().create(vals_list)
        downtimes.filtered("breakdown")._open_maintenance_request()
        (downtimes.line_id | downtimes._covered_lines())._reopen_for_billing()
        return downtimes

    def write(self, vals):
        moved = {"start", "end", "line_id"} & set(vals)
        before = self._covered_lines() if moved else self.env["construction.rental.line"]
        result = super().write(vals)
        if vals.get("breakdown"):
            self._open_maintenance_request()
        if moved:
            (before | self.line_id | self._covered_lines())._reopen_for_billing()
        return result

    def _open_maintenance_request(self):
        for downtime in self.filtered(lambda d: not d.maintenance_request_id):
            downtime.maintenance_request_id = self.env["maintenance.request"].create({
                "name": _("Breakdown on %(project)s: %(reason)s", project=downtime.line_id.project_id.name,
                          reason=downtime.reason or _("no reason given")),
                "equipment_id": downtime.equipment_id.id,
                "maintenance_type": "corrective",
                "request_date": downtime.start.date(),
                "company_id": downtime.company_id.id,
                "construction_downtime_id": downtime.id,
            })
