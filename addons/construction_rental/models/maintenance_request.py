from odoo import fields, models


class MaintenanceRequest(models.Model):
    _inherit = "maintenance.request"

    construction_downtime_id = fields.Many2one(
        "construction.rental.downtime", readonly=True, index="btree_not_null", ondelete="set null",
        help="The rental downtime this breakdown paused; it ends when the request is done.",
    )

    def write(self, vals):
        result = super().write(vals)
        if "stage_id" in vals:
            # The machine is back: billing resumes now, unless the field already reported the end.
            done = self.filtered(lambda r: r.done and r.construction_downtime_id and not r.construction_downtime_id.end)
            for request in done:
                downtime = request.construction_downtime_id
                downtime.end = max(fields.Datetime.now(), downtime.start)
        return result
