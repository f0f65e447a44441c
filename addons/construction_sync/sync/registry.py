"""Event handlers: one small class per event type.

A handler declares its event type, the JSON schema of the event's data, the Odoo model of the
external object the event is about (its mapping is the ordering watermark), and how to apply it.
`apply` must be idempotent for the external object (find through the mapping, then update or
create), because replays re-apply events on purpose.

Which handlers exist is decided per database, not per process: an addon declares its handler
classes by extending the model `construction.sync.handler` (see models/construction_sync_handler.py),
so a database without that addon installed knows none of its event types, even when another
database on the same server has loaded its code.
"""

from .schema import check_schema


class EventHandler:
    event_type = None
    summary = ""
    schema = None
    example = None
    # The Odoo model the event's external object maps to; events about one object apply in
    # source order and an older one than the last applied becomes stale.
    object_model = None
    default_mode = "realtime"
    default_requires_approval = False
    default_max_attempts = 5
    # The group whose members may accept or reject this event at an approval gate (the right of
    # the business action it applies); None: integration managers.
    approval_group = None

    def object_external_id(self, data):
        return data["id"]

    def conflict_key(self, data):  # pylint: disable=unused-argument (a default; handlers read it)
        """A key shared by events that change one common record besides their own object (a
        project's totals): two runners never apply events of one key at the same time, which
        would only make one of them fail on the shared row and retry. None: no such record."""
        return None

    def prepare(self, ctx):
        """Checks everything apply() needs (references resolve, rules hold) without writing, and
        returns the sentence an approver reads. Runs before an approval gate."""
        return "%s %s" % (self.event_type, self.object_external_id(ctx.data))

    def approval_amount(self, _ctx):
        """The amount an approver decides on, as (amount, res.currency record), for the cockpit's
        approval queue; None when the event carries no amount. Reads, never writes."""
        return None

    def apply(self, ctx):
        """Writes the event into Odoo; returns the record it produced or updated."""
        raise NotImplementedError

    # Handlers that can apply many events of their type at once (one ORM create for all new
    # records) set this and implement apply_batch; the engine falls back to apply() one by one
    # when a batch fails, so apply_batch may simply raise on anything unusual.
    batchable = False

    def apply_batch(self, contexts):
        """Applies events about distinct objects; returns their records, in order."""
        raise NotImplementedError


def build(handler_classes):
    """{event_type: handler instance} for the declared classes; refuses incomplete handlers and
    an event type declared twice, naming both classes."""
    handlers = {}
    for handler_class in handler_classes:
        handler = handler_class()
        if not handler.event_type or handler.schema is None or not handler.object_model:
            raise ValueError("%s needs event_type, schema and object_model" % handler_class.__name__)
        if handler.event_type in handlers:
            raise ValueError("event type %s declared twice (%s and %s)" % (
                handler.event_type, type(handlers[handler.event_type]).__name__, handler_class.__name__))
        check_schema(handler.schema)
        handlers[handler.event_type] = handler
    return dict(sorted(handlers.items()))
