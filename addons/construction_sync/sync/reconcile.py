"""Reconciliation: what a snapshot of an external system's objects carries, and how one of its
objects is compared with Odoo's record. Pure parts only; the engine's comparison runs in
models/construction_sync_reconcile.py.

A domain addon declares, per object type it owns, one ReconcileSpec subclass (in its
`reconcile/` package) and adds it to `construction.sync.reconcile._spec_classes()`: the engine
then accepts the `<object_type>.snapshot` event type for it, through the ordinary signed intake
(batched, idempotent, retried, audited like every event). The engine knows no construction type.

Snapshot page (the `data` of a `<object_type>.snapshot` event; every page of one snapshot carries
the snapshot's `as_of` as its envelope timestamp, so its pages apply in order):

    {"snapshot_id": "S-2026-11-28", "as_of": "2026-11-28T23:00:00Z", "page": 1, "pages": 100,
     "objects": [{"id": "P-100", "version": "2026-11-27T10:00:00Z",
                  "values": {"contract_value": 4850000.0}}, ...]}
"""

from .fragments import EXTERNAL_ID, MONEY

# The exception class of reconciliation differences (see construction.sync.difference: they are
# kept apart from the inbox's events, which carry a payload a system sent; a difference carries
# what two sides hold).
RECONCILIATION = "reconciliation"

KINDS = [
    ("missing_in_odoo", "Missing in Odoo"),
    ("unknown_at_source", "Unknown at Source"),
    ("older_in_odoo", "Older in Odoo"),
    ("value_mismatch", "Value Mismatch"),
]
# Objects per snapshot page: one page is compared in one transaction, so this bounds memory.
MAX_PAGE_OBJECTS = 1000
SNAPSHOT_SUFFIX = ".snapshot"


def money_equal(source, odoo):
    """Amounts agree when they agree to the cent (the books' precision)."""
    if source is None or odoo is None:
        return source is None and odoo is None
    return round(float(source) - float(odoo), 2) == 0


def text_equal(source, odoo):
    return ("" if source is None else str(source)) == ("" if odoo is None else str(odoo))


# How a field's two sides compare, by the kind its spec gives it; the JSON schema of its value.
COMPARATORS = {
    "money": money_equal,
    "text": text_equal,
    "flag": lambda source, odoo: bool(source) == bool(odoo),
}
VALUE_SCHEMAS = {
    "money": MONEY,
    "text": {"type": ["string", "integer", "null"], "maxLength": 255},
    "flag": {"type": "boolean"},
}


class ReconcileSpec:
    """One object type an external system owns and snapshots.

    object_type: the snapshot family ("project" → event type "project.snapshot").
    object_model: the Odoo model its mappings point to (the handler's object_model).
    fields: {snapshot value name: comparison kind ("money", "text" or "flag")}.
    upsert_event_type: the inbound event type whose handler applies the source's values (Take the
    source's values); None when no handler can.
    upsert_fields: the fields that handler sets (None: all of `fields`); a difference in another
    field comes from other events, so the source is asked to resend rather than a value taken.
    upsert_values: {value name: JSON schema} of values a snapshot may carry only so that the source's
    values can be taken (e.g. the project a missing object belongs to); they are not compared.
    take_refused: {field name, or "*" for the whole object: why its source value cannot be taken
    from a snapshot} (a lazily translated sentence); such a difference is settled by a resend.
    helper_key_pattern: see below.
    """

    object_type = None
    object_model = None
    summary = ""
    fields = {}
    upsert_event_type = None
    upsert_fields = None
    upsert_values = {}
    take_refused = {}
    # A LIKE pattern of the external ids of `object_model` mappings that are no source object (a
    # handler's second key for one object); never "unknown at the source".
    helper_key_pattern = None

    def odoo_values(self, records):
        """{record id: {value name: Odoo's value}} for a page of mapped records (read in one go)."""
        raise NotImplementedError

    def upsert_data(self, record, external_id, source_values, external_id_of):  # pylint: disable=unused-argument
        """The `data` of an `upsert_event_type` event that sets the source's values on `record`
        (empty when missing in Odoo), or None when the snapshot does not carry enough for it.
        `external_id_of(record)` gives a related record's external id at the same system (None when
        it has none), for the references the event names."""
        return None

    @property
    def event_type(self):
        return self.object_type + SNAPSHOT_SUFFIX

    def compare(self, source_values, odoo_values):
        """[(field, source value, Odoo value)] of the fields that disagree; a field the snapshot
        does not carry is not compared."""
        differences = []
        for name, kind in self.fields.items():
            if name not in source_values:
                continue
            if not COMPARATORS[kind](source_values[name], odoo_values.get(name)):
                differences.append((name, source_values[name], odoo_values.get(name)))
        return differences

    def snapshot_schema(self):
        return {
            "type": "object",
            "required": ["snapshot_id", "as_of", "page", "pages", "objects"],
            "properties": {
                "snapshot_id": {"type": "string", "minLength": 1, "maxLength": 128,
                                "description": "The same on every page of one snapshot."},
                "as_of": {"type": "string", "format": "date-time",
                          "description": "When the snapshot was taken; also every page's envelope timestamp."},
                "page": {"type": "integer", "minimum": 1, "maximum": 100000},
                "pages": {"type": "integer", "minimum": 1, "maximum": 100000,
                          "description": "How many pages the snapshot has: it is compared as a whole "
                                         "(objects only in Odoo) once all arrived."},
                "objects": {
                    "type": "array",
                    "maxItems": MAX_PAGE_OBJECTS,
                    "items": {
                        "type": "object",
                        "required": ["id", "version"],
                        "properties": {
                            "id": EXTERNAL_ID,
                            "version": {"type": "string", "format": "date-time",
                                        "description": "The timestamp of the object's last change at the "
                                                       "source (the timestamp of the event that carried it)."},
                            "values": {
                                "type": "object",
                                "description": "Values an addon installed later compares too may be sent; "
                                               "unknown ones are not compared.",
                                "properties": {
                                    **{name: VALUE_SCHEMAS[kind] for name, kind in self.fields.items()},
                                    **{name: dict(schema, description=(
                                        "Not compared; lets Odoo apply the object from the snapshot (Take the "
                                        "source's values). " + schema.get("description", "")).strip())
                                       for name, schema in self.upsert_values.items()},
                                },
                            },
                        },
                    },
                },
            },
        }


def build(spec_classes):
    """{object type: spec instance}; refuses incomplete specs and a type declared twice."""
    specs = {}
    for spec_class in spec_classes:
        spec = spec_class()
        if not spec.object_type or not spec.object_model or not spec.fields:
            raise ValueError("%s needs object_type, object_model and fields" % spec_class.__name__)
        unknown = set(spec.fields.values()) - set(COMPARATORS)
        if unknown:
            raise ValueError("%s: unknown comparison kinds %s" % (spec_class.__name__, sorted(unknown)))
        if spec.object_type in specs:
            raise ValueError("snapshot type %s declared twice (%s and %s)" % (
                spec.object_type, type(specs[spec.object_type]).__name__, spec_class.__name__))
        specs[spec.object_type] = spec
    return dict(sorted(specs.items()))


def sequence_gaps(numbers):
    """[(first missing, last missing)] between consecutive numbers of a sorted list."""
    return [(a + 1, b - 1) for a, b in zip(numbers, numbers[1:]) if b > a + 1]


def describe_range(first, last, limit=20):
    """"17", "17-19", or the first `limit` numbers of a long range with its size."""
    if first == last:
        return str(first)
    if last - first < limit:
        return ", ".join(str(n) for n in range(first, last + 1))
    return "%d-%d (%d numbers)" % (first, last, last - first + 1)


# The reconciliation contract as the OpenAPI document states it (sync/openapi.py).
OPENAPI_DESCRIPTION = (
    "Reconciliation. A system proves every night that Odoo holds what it sent: it delivers a snapshot of "
    "the objects it owns as `<object_type>.snapshot` events (one per page of at most %d objects, through "
    "these same signed endpoints, batches included): every page carries the same snapshot_id, as_of and pages, "
    "and as_of as its envelope timestamp; each object its id, its version (the timestamp of its last change "
    "at the source) and the values its type lists. Odoo compares each page as it is applied, and once all "
    "pages arrived names the objects only Odoo holds. Objects whose version Odoo holds or has queued (an "
    "event at least as new is still waiting) are not differences. `control_totals.reported` gives per day "
    "and event type the count (and amount) the system sent, optionally with the objects' ids, so Odoo names "
    "what is missing. An envelope may carry an optional integer `sequence`, increasing per system: a "
    "number that does not arrive within the system's grace period becomes a gap naming it."
    % MAX_PAGE_OBJECTS
)
SEQUENCE_SCHEMA = {
    "type": "integer", "minimum": 0,
    "description": "Optional, per system, increasing by one per event sent: lets Odoo find events lost at the "
                   "source (see Reconciliation in the description).",
}
