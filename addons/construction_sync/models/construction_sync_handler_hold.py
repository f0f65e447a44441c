from odoo import api, models


class ConstructionSyncHandler(models.AbstractModel):
    _inherit = "construction.sync.handler"

    @api.model
    def _hold_reason(self, _handler, _ctx):
        """Why this one event must wait for a person before it is applied, although its type needs
        no approval (a suspected duplicate invoice, an amount far outside the sender's usual ones),
        or None. Domain addons extend this for their event types; the engine holds nothing.

        The processor asks before applying an event not accepted yet and, when a reason comes
        back, sends the event to the approval gate with that reason as its summary: accepting it
        applies it, rejecting it ignores it, as for any approval item. Read-only: whatever it
        touches is rolled back. Not asked for the events a batchable handler applies together
        (construction.sync.processor._apply_claimed): a type that may be held is not batchable."""
        return None
