"""Building blocks of reconciliation's inbound event types: `<object_type>.snapshot` per object
type with a ReconcileSpec (sync/reconcile.py), and `control_totals.reported`. The engine declares
no event type itself: a domain addon lists them in its own `handlers/` HANDLERS (construction_base
declares control totals and its project snapshots). They go through the ordinary signed intake
and runners, so a snapshot page is stored, retried and audited like any event, and compared in
its own transaction (one page at a time: bounded memory)."""

from ..sync.fragments import INTEGER_LIMIT, MONEY
from ..sync.registry import EventHandler


class SnapshotPage(EventHandler):
    """Base of the generated `<object_type>.snapshot` handlers (see snapshot_handler)."""

    object_model = "construction.sync.reconcile.run"
    spec = None

    def object_external_id(self, data):
        # All pages of one snapshot are one object: they apply one after the other, in order.
        return "%s/%s" % (self.spec.object_type, data["snapshot_id"])

    def prepare(self, ctx):
        return ctx.env._("Snapshot %(snapshot)s of %(type)s, page %(page)s of %(pages)s",
                         snapshot=ctx.data["snapshot_id"], type=self.spec.object_type,
                         page=ctx.data["page"], pages=ctx.data["pages"])

    def apply(self, ctx):
        # The spec as the installed addons declare it now: an addon installed later may extend
        # the object type's comparison (construction_contract adds approved changes to projects).
        spec = ctx.env["construction.sync.reconcile"]._spec(self.spec.object_type) or self.spec
        return ctx.env["construction.sync.reconcile"]._apply_page(ctx, spec)


def snapshot_handler(spec_class, module):
    """The handler class of one spec's snapshot event type, declared in `module` (the domain
    addon's handlers module, which the registry and its tests attribute the type to)."""
    spec = spec_class()
    summary = ("One page of a snapshot of the %s objects the system owns, compared with Odoo's records "
               "(reconciliation). %s" % (spec.object_type, spec.summary))
    example = {"snapshot_id": "S-2026-11-28", "as_of": "2026-11-28T23:00:00Z", "page": 1, "pages": 1,
               "objects": [{"id": "X-1", "version": "2026-11-27T10:00:00Z", "values": {}}]}
    body = {"__module__": module, "event_type": spec.event_type, "summary": summary,
            "schema": spec.snapshot_schema(), "spec": spec, "example": example}
    return type("%sSnapshot" % spec.object_type.title().replace("_", ""), (SnapshotPage,), body)


class ControlTotals(EventHandler):
    """Declared as `control_totals.reported` by construction_base (a subclass in its handlers)."""

    event_type = "control_totals.reported"
    summary = ("What the system sent on one day for one event type: how many events and the sum of their "
               "amounts, optionally with their external ids; Odoo compares with what it received and "
               "applied and names the gap.")
    object_model = "construction.sync.control.total"
    schema = {
        "type": "object",
        "required": ["date", "event_type", "count"],
        "properties": {
            "date": {"type": "string", "format": "date", "description": "The UTC day of the events' timestamps."},
            "event_type": {"type": "string", "minLength": 1, "maxLength": 128},
            "count": {"type": "integer", "minimum": 0, "maximum": INTEGER_LIMIT},
            "amount": {**MONEY, "description": "The sum of the events' amounts (the field summed is the event "
                                               "type's, see construction.sync.reconcile._control_amount_paths)."},
            "ids": {"type": "array", "maxItems": 100000,
                    "items": {"type": ["string", "integer"], "minLength": 1, "maxLength": 255},
                    "description": "The external ids of the objects of the events sent, to name the missing ones."},
        },
    }
    example = {"date": "2026-11-28", "event_type": "subcontractor_invoice.received", "count": 142,
               "amount": 1204330.00}

    def object_external_id(self, data):
        return "%s/%s" % (data["date"], data["event_type"])

    def apply(self, ctx):
        return ctx.env["construction.sync.reconcile"]._apply_control_totals(ctx)
