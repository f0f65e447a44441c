"""Outbound event types: one small class per type Odoo publishes to the field systems.

A class names its type ("change_order.approved"), the Odoo model it is about, a description and
the JSON schema of its `data` with a schema version, and builds that data from one record.
Which types exist is decided per database like the inbound handlers: an addon declares its
classes by extending the model `construction.sync.publisher` (`_publisher_classes`, see
models/construction_sync_publisher.py), with the classes in `<addon>/publishers/`.

Business code publishes with `env["construction.sync.outbox"]._publish(event_type, records)`
inside its own transaction: one message per record and per active subscription of the
record's company that wants the type, sent after commit.

Payloads carry the receiver's vocabulary next to Odoo's: `ref()` gives a record's Odoo id with the
external ids the mappings hold for it, `money()` an amount with its currency code.
"""

from .schema import check_schema

# What every message body is: the Standard Webhooks envelope plus the data's schema version.
ENVELOPE_REQUIRED = ["type", "timestamp", "schema_version", "data"]

# Svix's schedule (seconds after each failed attempt): immediately, 5 s, 5 min, 30 min, 2 h, 5 h,
# 10 h, 10 h; the first attempt is the immediate one, so the list holds the 7 waits after it.
RETRY_SCHEDULE = (5, 300, 1800, 7200, 18000, 36000, 36000)
# Each wait is spread by up to this fraction either way, so messages failing together (an
# endpoint outage) do not come back at the same second.
JITTER = 0.1
# A Retry-After longer than this is taken as this: a receiver cannot park a message for weeks.
MAX_RETRY_AFTER_SECONDS = 86400


class OutboundEvent:
    type = None
    model = None
    description = ""
    schema = None
    schema_version = 1
    example = None
    # The stored fields of `model` the payloads read. A publish that some subscription wants
    # fetches these for all its records in one query; otherwise the first field read loads every
    # column of the model (a hundred of res.partner for a 10 000-vendor publish).
    fields = ()

    def payload(self, record):
        """The message's `data` for one record of `model` (JSON-serialisable)."""
        raise NotImplementedError

    def payloads(self, records):
        """The `data` of each of `records`, in their order. A type published in bulk (a vendor
        list imported, thousands at once) may read its fields a column at a time here
        (records.mapped(field)): record.field costs a microsecond or two per value, a tenth of
        that through mapped, and a payload reads a dozen."""
        return [self.payload(record) for record in records]

    def object_key(self, record):
        """Messages with the same key (per subscription) are delivered in the order published."""
        return "%s:%s" % (record._name, record.id)


def build(classes):
    """{type: instance} for the declared classes; refuses incomplete ones and a type declared
    twice, naming both classes."""
    publishers = {}
    for cls in classes:
        publisher = cls()
        if not publisher.type or not publisher.model or publisher.schema is None:
            raise ValueError("%s needs type, model and schema" % cls.__name__)
        if publisher.type in publishers:
            raise ValueError("outbound event type %s declared twice (%s and %s)" % (
                publisher.type, type(publishers[publisher.type]).__name__, cls.__name__))
        check_schema(publisher.schema)
        publishers[publisher.type] = publisher
    return dict(sorted(publishers.items()))


def retry_delay(attempts, rng):
    """Seconds to wait after `attempts` failed attempts, or None when the schedule is spent (the
    message is dead)."""
    if attempts > len(RETRY_SCHEDULE):
        return None
    step = RETRY_SCHEDULE[attempts - 1]
    return step * (1 - JITTER + 2 * JITTER * rng.random())


def parse_retry_after(value):
    """Seconds of a Retry-After header (delta-seconds form; an HTTP date is not honoured and falls
    back to the schedule), capped; None when absent or unreadable."""
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return min(max(seconds, 0), MAX_RETRY_AFTER_SECONDS)


# ----------------------------------------------------------------------------------------------
# payload helpers and schema fragments shared by the publishers
# ----------------------------------------------------------------------------------------------

REF_SCHEMA = {
    "type": "object",
    "required": ["id", "external_ids"],
    "properties": {
        "id": {"type": "integer", "description": "The record's id in Odoo."},
        "external_ids": {
            "type": "object",
            "description": "The record's external id in each external system that maps it, by system code.",
        },
    },
}
NULLABLE_REF_SCHEMA = {"type": ["object", "null"], "properties": REF_SCHEMA["properties"]}
MONEY_SCHEMA = {
    "type": "object",
    "required": ["amount", "currency"],
    "properties": {
        "amount": {"type": "number", "description": "Rounded to the currency's decimals."},
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
    },
}


class ExternalIds(dict):
    """{system code: external id} of one record by the mappings that hold it; empty until
    `resolve` fills every one of a payload in one query (a payload names the record, its vendor,
    its project and a cost code per line: a query each cost more than the rest of a publish)."""

    __slots__ = ("model", "res_id")

    def __init__(self, model, res_id):
        super().__init__()
        self.model, self.res_id = model, res_id


def external_ids(record):
    """The record's external ids (an ExternalIds, filled by `resolve`)."""
    if not record:
        return {}
    return ExternalIds(record._name, record.id)


def ref(record):
    """A record as the receivers know it (None for an empty one)."""
    if not record:
        return None
    return {"id": record.id, "external_ids": external_ids(record)}


def resolve(env, payload):
    """Fills every ExternalIds in `payload` (nested dicts and lists) from the mappings, in one
    query whatever their number; returns `payload`."""
    pending = []
    stack = [payload]
    while stack:
        value = stack.pop()
        if isinstance(value, ExternalIds):
            pending.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
    if not pending:
        return payload
    keys = sorted({(ids.model, ids.res_id) for ids in pending})
    env["construction.sync.mapping"].flush_model(["res_model", "res_id", "external_id", "system_id"])
    env.cr.execute(
        """
        SELECT m.res_model, m.res_id, s.code, m.external_id
          FROM construction_sync_mapping m
          JOIN construction_sync_system s ON s.id = m.system_id
         WHERE m.res_id = ANY(%s) AND (m.res_model, m.res_id) IN (SELECT * FROM unnest(%s::varchar[], %s::int[]))
         ORDER BY m.id
        """,
        ([key[1] for key in keys], [key[0] for key in keys], [key[1] for key in keys]))
    found = {}
    for model, res_id, code, external_id in env.cr.fetchall():
        found.setdefault((model, res_id), {})[code] = external_id
    for ids in pending:
        ids.update(found.get((ids.model, ids.res_id), {}))
    return payload


def money(amount, currency):
    return {"amount": currency.round(amount or 0.0), "currency": currency.name}


def date_or_none(value):
    return value.isoformat() if value else None
