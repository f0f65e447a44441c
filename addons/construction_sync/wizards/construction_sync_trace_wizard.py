from markupsafe import Markup

from odoo import api, fields, models


class ConstructionSyncTraceWizard(models.TransientModel):
    """The native screen of a record's trace (construction.sync.trace), opened by the Trace
    action of the business records' forms."""

    _name = "construction.sync.trace.wizard"
    _description = "Sync Trace"

    res_model = fields.Char(required=True, readonly=True)
    res_id = fields.Integer(required=True, readonly=True)
    record_name = fields.Char(compute="_compute_trace")
    trace_html = fields.Html(compute="_compute_trace", sanitize=False)

    @api.depends("res_model", "res_id")
    def _compute_trace(self):
        labels = {"inbound": self.env._("In"), "audit": self.env._("Step"), "outbound": self.env._("Out"),
                  "attempt": self.env._("Attempt")}
        for wizard in self:
            record = self.env[wizard.res_model].browse(wizard.res_id)
            wizard.record_name = record.display_name
            rows = self.env["construction.sync.trace"].get_trace(wizard.res_model, wizard.res_id)
            if not rows:
                wizard.trace_html = Markup("<p>%s</p>") % self.env._("Nothing came in or went out about this record.")
                continue
            body = Markup("").join(
                Markup("<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>") % (
                    row["at"], labels[row["kind"]], row["system"], row["title"] or "", row["state"] or "",
                    row["detail"]) for row in rows)
            head = Markup("<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>") % (
                self.env._("At (UTC)"), self.env._("Direction"), self.env._("System"), self.env._("Event"),
                self.env._("State"), self.env._("Detail"))
            wizard.trace_html = Markup('<table class="table table-sm"><thead>%s</thead><tbody>%s</tbody></table>') % (
                head, body)

    @api.model
    def _action_for(self, records):
        """The window action of the first record's trace (from a business form's action menu)."""
        record = records[:1]
        wizard = self.create({"res_model": record._name, "res_id": record.id})
        return {
            "type": "ir.actions.act_window", "name": self.env._("Trace: %s", record.display_name),
            "res_model": self._name, "res_id": wizard.id, "view_mode": "form", "target": "new",
            "views": [(self.env.ref("construction_sync.construction_sync_trace_wizard_view_form").id, "form")],
        }
