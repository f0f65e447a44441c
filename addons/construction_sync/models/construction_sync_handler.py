from odoo import api, models, tools

from ..sync import registry


class ConstructionSyncHandler(models.AbstractModel):
    """The event types this database knows. An addon that brings event types extends this model
    and adds its handler classes in `_handler_classes`; Odoo composes the model per database from
    the installed addons only, so an event type exists exactly where its addon is installed."""

    _name = "construction.sync.handler"
    _description = "Sync Event Handler Registry"

    def _register_hook(self):
        """Runs whenever this database's registry is loaded, so also right after an addon that
        declares event types is installed or removed: every system then has one settings line
        per known event type, and none for a type no installed addon declares any more."""
        super()._register_hook()
        self.env.registry.clear_cache()
        known = self._event_types()
        Setting = self.env["construction.sync.event.setting"].sudo()
        Setting.search([("event_type", "not in", known)]).unlink()
        self.env["construction.sync.system"].sudo().with_context(active_test=False).search([])._ensure_settings()

    @api.model
    def _handler_classes(self):
        return []

    @api.model
    @tools.ormcache()
    def _handlers(self):
        # Cached per registry: rebuilt when modules are installed or removed.
        return registry.build(self._handler_classes())

    @api.model
    def _get(self, event_type):
        return self._handlers().get(event_type)

    @api.model
    def _event_types(self):
        return list(self._handlers())

    @api.model
    def _selection(self):
        return [(event_type, event_type) for event_type in self._handlers()]
