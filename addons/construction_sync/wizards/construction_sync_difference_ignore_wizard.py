from odoo import fields, models


class ConstructionSyncDifferenceIgnoreWizard(models.TransientModel):
    _name = "construction.sync.difference.ignore.wizard"
    _description = "Ignore Reconciliation Differences"

    difference_ids = fields.Many2many("construction.sync.difference", "construction_sync_difference_ignore_rel",
                                      "wizard_id", "difference_id", required=True)
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.difference_ids.action_ignore(self.reason)
        return {"type": "ir.actions.act_window_close"}
