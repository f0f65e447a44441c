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
            if downtime.end:
                downtime.duration_hours = (downtime.end - downtime.start).total_seconds() / 3600.0
                downtime.pauses_billing = downtime.duration_hours >= downtime.line_id.downtime_min_hours
            else:
                downtime.duration_hours = 0.0
                downtime.pauses_billing = True

    @api.model_create_multi
    def create(self, vals_list):
        downtimes = super().create(vals_list)
        downtimes.filtered("breakdown")._open_maintenance_request()
        downtimes.line_id._reopen_for_billing()
        return downtimes

    def write(self, vals):
        result = super().write(vals)
        if vals.get("breakdown"):
            self._open_maintenance_request()
        if {"start", "end"} & set(vals):
            self.line_id._reopen_for_billing()
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
