from odoo import api, models


class ConstructionSyncIntakeCachedMixin(models.AbstractModel):
    """Records the webhook intake keeps in the registry's cache between deliveries (construction.
    sync.system._intake_rows): creating, changing or deleting one clears that cache, in every
    worker (Odoo's cache signaling) and again if the transaction rolls back."""

    _name = "construction.sync.intake.cached.mixin"
    _description = "Records Cached by the Webhook Intake"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env.registry.clear_cache()
        return records

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
