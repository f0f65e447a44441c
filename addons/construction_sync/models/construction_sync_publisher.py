from odoo import api, models, tools

from ..publishers import inbound_event
from ..sync import outbound


class ConstructionSyncPublisher(models.AbstractModel):
    """The outbound event types this database publishes. An addon that publishes extends this
    model and adds its OutboundEvent classes in `_publisher_classes` (the same pattern as
    construction.sync.handler), so a type exists exactly where its addon is installed."""

    _name = "construction.sync.publisher"
    _description = "Outbound Event Type Registry"

    @api.model
    def _publisher_classes(self):
        # The engine's own: telling a source system that an accountant rejected its item.
        return [inbound_event.InboundEventRejected]

    @api.model
    @tools.ormcache()
    def _publishers(self):
        # Cached per registry: rebuilt when modules are installed or removed.
        return outbound.build(self._publisher_classes())

    @api.model
    def _get(self, event_type):
        return self._publishers().get(event_type)

    @api.model
    def _event_types(self):
        return list(self._publishers())

    @api.model
    def _by_model(self):
        """{model name: [types about it]}: the business records a trace can be asked for."""
        result = {}
        for event_type, publisher in self._publishers().items():
            result.setdefault(publisher.model, []).append(event_type)
        return result
