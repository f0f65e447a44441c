import hashlib
import json
import logging
from collections import namedtuple

from psycopg2.extensions import TRANSACTION_STATUS_IDLE

from odoo import api, fields, models
from odoo.tools import ormcache

from ..sync import delivery as http_delivery
from ..sync import envelope, flood, secret_store, signature, strict_json
from ..sync.errors import DeliveryRejected
from .construction_sync_rate_bucket import WINDOW_SECONDS as RATE_WINDOW_SECONDS
from .construction_sync_rate_bucket import worker_shard
from .construction_sync_system import INTAKE_FIELDS

_logger = logging.getLogger(__name__)

# The active systems with the code a delivery was sent to (several when companies share a code),
# their settings by event type (read-only) by system id, and their secrets as stored (secret_store.
# StoredSecrets) by system id: decrypted only while the signature is verified.
Senders = namedtuple("Senders", "systems settings secrets")
# Seconds a sender waits when a secret cannot be decrypted (a server configuration error).
UNREADABLE_RETRY_AFTER = 60
# One construction_sync_event row as the intake inserts it, in the INSERT's column order.
EventRow = namedtuple(
    "EventRow",
    "system_id company_id webhook_id delivery_id correlation_id event_type payload payload_hash object_key"
    " source_timestamp processing_mode conflict_key",
)


# A single delivery counted for its system's rate limit (p_limit > 0; see construction.sync.rate.
# bucket) and stored, in one call: its event id, or null for a webhook id already stored; nothing
# stored when over the limit (hits >= p_limit). PL/pgSQL keeps the plans of its statements for the
# session: the same statements sent by the intake were planned again for every delivery, and the
# rate limit's own query cost as much as the insert.
STORE_FUNCTION = """
CREATE OR REPLACE FUNCTION construction_sync_intake_store(
    p_system integer, p_shard integer, p_limit integer, p_window integer, p_uid integer,
    p_company integer, p_webhook_id varchar, p_delivery_id varchar, p_correlation_id varchar,
    p_event_type varchar, p_payload text, p_payload_hash varchar, p_object_key varchar,
    p_source_timestamp timestamp, p_processing_mode varchar, p_conflict_key varchar,
    OUT hits bigint, OUT seconds_left double precision, OUT inserted boolean, OUT event_id integer)
LANGUAGE plpgsql AS $$
DECLARE
    v_now timestamp := now() at time zone 'utc';
BEGIN
    IF p_limit > 0 THEN
        SELECT t.hits, t.seconds_left, t.inserted INTO hits, seconds_left, inserted
          FROM construction_sync_rate_take(p_system, p_shard, p_limit, p_window) t;
        IF hits >= p_limit THEN
            RETURN;
        END IF;
    END IF;
    INSERT INTO construction_sync_event
        (system_id, company_id, webhook_id, delivery_id, correlation_id, event_type, payload, payload_hash,
         object_key, source_timestamp, processing_mode, conflict_key, state, attempts, next_attempt_at,
         received_at, create_uid, create_date, write_uid, write_date)
    VALUES (p_system, p_company, p_webhook_id, p_delivery_id, p_correlation_id, p_event_type, p_payload,
            p_payload_hash, p_object_key, p_source_timestamp, p_processing_mode, p_conflict_key, 'pending', 0,
            v_now, v_now, p_uid, v_now, p_uid, v_now)
    ON CONFLICT (system_id, webhook_id) DO NOTHING
    RETURNING id INTO event_id;
END $$
"""


def _int_param(Param, key, minimum, default):
    value = Param.get_param(key)
    try:
        return max(minimum, int(value)) if value else default
    except ValueError:
        return default


def _canonical_hash(event_type, timestamp, data):
    """Two deliveries carry "the same body" when their type, timestamp and data are equal as
    JSON, whatever their whitespace or key order, and whether they came alone or in a batch."""
    canonical = json.dumps(
        {"type": event_type, "timestamp": timestamp, "data": data},
        sort_keys=True, separators=(",", ":"), ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


class ConstructionSyncIntake(models.AbstractModel):
    """Webhook intake: authenticate, validate, store. The HTTP checks come before, in
    sync.delivery; nothing here runs business logic: the runners pick stored events up after
    commit."""

    _name = "construction.sync.intake"
    _description = "Webhook Intake"

    def init(self):
        self.env.cr.execute(STORE_FUNCTION)

    @api.model
    def _unauthenticated_max_body_bytes(self):
        """The size limit of a body before its signature is verified: one server-wide maximum, so
        that a request that cannot sign learns no system's own limit (sync.delivery)."""
        return self._unauthenticated_limits()[0]

    @api.model
    def _unauthenticated_per_minute(self):
        """Refusals before authentication allowed per source address and minute, in each Odoo
        process (sync.flood); 0 turns the budget off."""
        return self._unauthenticated_limits()[1]

    @api.model
    @ormcache()
    def _unauthenticated_limits(self):
        """(max body bytes, refusals per minute) from the system parameters, read once per
        registry cache (a parameter's change clears it): two get_param calls, each with its
        access check, were worth a tenth of the Python a delivery runs."""
        Param = self.env["ir.config_parameter"].sudo()
        return (
            _int_param(Param, "construction_sync.unauthenticated_max_body_bytes", 1,
                       http_delivery.DEFAULT_UNAUTHENTICATED_MAX_BODY_BYTES),
            _int_param(Param, "construction_sync.unauthenticated_per_minute", 0, flood.DEFAULT_PER_MINUTE),
        )

    @api.model
    def _senders(self, code):
        """The systems a delivery to `code` may come from, or a 404 when no active system has it."""
        systems, settings, secrets = self._systems(code)
        if not systems:
            raise DeliveryRejected(404, "unknown_system", "No active external system has the code %r." % code)
        return Senders(systems, settings, secrets)

    @api.model
    def _receive(self, senders, delivery):
        """Authenticates and stores a delivery that passed the endpoint's HTTP checks
        (sync.delivery.answer, which calls this). Returns (status, body dict, extra headers) or
        raises DeliveryRejected; refusals with 409/422, and 400 malformed_json for a body that
        parsed but holds unacceptable values, are stored in the rejected-deliveries log first.
        Every refusal after the signature verified is marked authenticated."""
        system, stored = self._authenticate(senders, delivery)
        try:
            system._tidy_secrets(stored)
            return self._receive_authenticated(system, senders, delivery)
        except DeliveryRejected as rejection:
            rejection.authenticated = True
            raise

    def _receive_authenticated(self, system, senders, delivery):
        # The system's own limit, which the server-wide one checked before authentication caps.
        if len(delivery.body) > system.max_body_bytes:
            raise DeliveryRejected(413, "body_too_large", "The body exceeds %d bytes." % system.max_body_bytes)
        settings = senders.settings[system.id]
        if delivery.batch:
            self._check_rate(system)
            return self._receive_batch(system, settings, delivery, envelope.parse_json(delivery.body))
        # A single delivery is counted for the rate limit as it is stored, in one call (see
        # _store_single); one refused on the way is counted before its refusal, and over the
        # limit the answer is the 429 whatever else is wrong with it, as when it was counted first.
        try:
            document = envelope.parse_json(delivery.body)
        except DeliveryRejected:
            self._check_rate(system)
            raise
        return self._receive_single(system, settings, delivery, document)

    def _systems(self, code):
        """The active systems with this code, with their intake settings put in the cache, their
        event type settings rows and their secrets as stored (construction.sync.system.
        _intake_rows: one query at most, cached between deliveries). Nothing is decrypted here."""
        System = self.env["construction.sync.system"].sudo()
        rows = System._intake_rows(code)
        systems = System.browse([row[0] for row in rows])
        for row in rows:
            system = System.browse(row[0])
            for name, value in zip(INTAKE_FIELDS, row[1]):
                self.env.cache.set(system, System._fields[name], value)
        secrets = {row[0]: secret_store.StoredSecrets(*row[2]) for row in rows}
        return systems, {row[0]: row[3] for row in rows}, secrets

    def _authenticate(self, senders, delivery):
        """(system, its StoredSecrets): the system whose secret signed the delivery (its headers are
        checked already). The decrypted secrets exist only as the argument handed to
        signature.verify; no message, log line or reply carries them."""
        # Codes are unique per company: when several companies use one, the secret that verifies
        # tells which system sent the delivery.
        refusal, unreadable, now = None, None, fields.Datetime.now()
        keys = secret_store.configured_keys()
        for system in senders.systems:
            stored = senders.secrets[system.id]
            try:
                signature.verify(system._valid_secrets(stored, now, keys), delivery.webhook_id, delivery.timestamp,
                                 delivery.body, delivery.signature)
                return system, stored
            except signature.SignatureError as exc:
                refusal = exc
            except secret_store.SecretUnreadable:
                unreadable = system
        if unreadable:
            # The server's key changed or went missing: the delivery may be genuine, so the sender
            # is told to come back (nothing is lost) rather than that its signature is wrong.
            _logger.error(
                "construction_sync: the signing secret of external system %s (id %s) is stored encrypted and the "
                "configured %s does not decrypt it; its deliveries are answered 503 until the key is restored "
                "or the secret rotated", unreadable.code, unreadable.id, secret_store.CONFIG_KEY,
            )
            raise DeliveryRejected(
                503, "service_unavailable",
                "The server cannot check signatures for this system at the moment; nothing was stored. Retry later.",
                headers={"Retry-After": str(UNREADABLE_RETRY_AFTER)},
            )
        raise DeliveryRejected(401, "invalid_signature", str(refusal))

    def _check_rate(self, system):
        if not system.rate_limit_per_minute:
            return
        self._raise_if_limited(
            system, self.env["construction.sync.rate.bucket"].sudo()._take(system.id, system.rate_limit_per_minute))

    def _raise_if_limited(self, system, wait):
        if wait is not None:
            raise DeliveryRejected(
                429, "rate_limited",
                "More than %d deliveries in the last minute; retry after %d s." % (system.rate_limit_per_minute, wait),
                headers={"Retry-After": str(wait)},
            )

    def _reject(self, system, rejection, webhook_id, delivery_id, event_type, body):
        """Keeps an authenticated but refused delivery, then hands the rejection back. Texts
        holding NUL characters or lone surrogates are kept with those escaped (strict_json.
        storable): PostgreSQL's text type cannot hold them."""
        self.env["construction.sync.rejected.delivery"].sudo().create({
            "system_id": system.id,
            "webhook_id": strict_json.storable(webhook_id),
            "delivery_id": strict_json.storable(delivery_id),
            "event_type": strict_json.storable(event_type) if isinstance(event_type, str) else False,
            "http_status": rejection.status,
            "error_code": rejection.code,
            "error_message": rejection.message,
            "details": json.dumps(rejection.details) if rejection.details else False,
            "body": strict_json.storable(body),
        })
        return rejection

    def _validate(self, system, settings, delivery, document):
        """(envelope, handler, naive UTC timestamp) for a well-formed, schema-valid event, else
        DeliveryRejected, in this order: unacceptable JSON values (400 malformed_json), the
        envelope (400 malformed_envelope), the timestamp (422 invalid_timestamp), the type and
        data (422)."""
        envelope.check_values(document)
        env_ = envelope.check_envelope(document)
        timestamp = envelope.check_timestamp(env_.timestamp, delivery.timestamp, system.future_tolerance_seconds)
        enabled = {t for t, s in settings.items() if s["enabled"]}
        handler = envelope.check_payload(env_, self.env["construction.sync.handler"]._handlers(), enabled)
        return env_, handler, timestamp

    def _row(self, system, settings, webhook_id, delivery_id, correlation_id, document, env_, handler, timestamp,
             payload):
        return EventRow(
            system.id, system.company_id.id, webhook_id, delivery_id, correlation_id, env_.event_type,
            payload, _canonical_hash(document["type"], document["timestamp"], document["data"]),
            "%s:%s" % (handler.object_model, handler.object_external_id(env_.data)),
            timestamp, settings[env_.event_type]["processing_mode"], handler.conflict_key(env_.data),
        )

    def _insert(self, rows):
        """Inserts events; returns {webhook_id: event id} of the ones that are new.

        Plain SQL because idempotency must hold under concurrency: ON CONFLICT DO NOTHING on the
        (system, webhook id) unique constraint lets fifty simultaneous deliveries of one id create
        exactly one row. Under Odoo's REPEATABLE READ a conflict with a row committed after our
        snapshot raises a serialization failure instead: Odoo's request retry (service.model.
        retrying) runs the delivery again, which then answers 200 duplicate. That failure is part
        of the protocol, so it is not logged as a bad query."""
        cr = self.env.cr
        template = ("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 'pending', 0, now() at time zone 'utc',"
                    " now() at time zone 'utc', %s, now() at time zone 'utc', %s, now() at time zone 'utc')")
        values = b",".join(cr.mogrify(template, row + (self.env.uid, self.env.uid)) for row in rows)
        cr.execute(
            b"""
            INSERT INTO construction_sync_event
                (system_id, company_id, webhook_id, delivery_id, correlation_id, event_type, payload,
                 payload_hash, object_key, source_timestamp, processing_mode, conflict_key,
                 state, attempts, next_attempt_at, received_at, create_uid, create_date, write_uid, write_date)
            VALUES """ + values + b"""
            ON CONFLICT (system_id, webhook_id) DO NOTHING
            RETURNING webhook_id, id
            """,
            log_exceptions=False,
        )
        return dict(cr.fetchall())

    def _store_single(self, system, row):
        """_insert for the one event of a single delivery, which is counted for the system's rate
        limit in the same call (STORE_FUNCTION) unless the rate bucket counts it in memory, far
        from the limit (_take_far): raises the 429 when over the limit."""
        limit = system.rate_limit_per_minute or 0
        if limit and self.env["construction.sync.rate.bucket"].sudo()._take_far(system.id, limit):
            limit = 0
        cnx = self.env.cr._cnx  # pylint: disable=protected-access
        # Usually nothing else has run in this transaction (the systems are cached, the rate count
        # is in memory): the call then commits on its own, as one statement, where BEGIN, the call
        # and COMMIT were three round trips to PostgreSQL, a sixth of a delivery. It is durable as
        # any commit; the controller's commit that follows has nothing left to write. Not for an
        # event a realtime runner is woken for: its trigger row (_wake_for) must commit with it,
        # and a second commit would cost more than the round trips saved.
        alone = cnx.info.transaction_status == TRANSACTION_STATUS_IDLE and row.processing_mode != "realtime"
        if alone:
            cnx.autocommit = True
        try:
            self.env.cr.execute(
                "SELECT hits, seconds_left, inserted, event_id FROM construction_sync_intake_store("
                "%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (row.system_id, worker_shard(), limit, RATE_WINDOW_SECONDS, self.env.uid, row.company_id,
                 row.webhook_id, row.delivery_id, row.correlation_id, row.event_type, row.payload, row.payload_hash,
                 row.object_key, row.source_timestamp, row.processing_mode, row.conflict_key),
                log_exceptions=False,
            )
            hits, seconds_left, inserted, event_id = self.env.cr.fetchone()
        finally:
            if alone:
                cnx.autocommit = False
        if limit:
            self._raise_if_limited(
                system, self.env["construction.sync.rate.bucket"].sudo()._taken(
                    system.id, limit, hits, seconds_left, inserted))
        return {row.webhook_id: event_id} if event_id else {}

    def _existing(self, system, webhook_ids):
        self.env.cr.execute(
            "SELECT webhook_id, id, payload_hash FROM construction_sync_event"
            " WHERE system_id = %s AND webhook_id = ANY(%s)",
            (system.id, list(webhook_ids)),
        )
        return {webhook_id: (event_id, payload_hash) for webhook_id, event_id, payload_hash in self.env.cr.fetchall()}

    def _receive_single(self, system, settings, delivery, document):
        webhook_id, correlation_id = delivery.webhook_id, delivery.correlation_id
        text = delivery.body.decode("utf-8")
        try:
            env_, handler, timestamp = self._validate(system, settings, delivery, document)
        except DeliveryRejected as rejection:
            self._check_rate(system)
            if rejection.keep:
                self._reject(system, rejection, webhook_id, webhook_id, document.get("type"), text)
            raise
        row = self._row(system, settings, webhook_id, webhook_id, correlation_id, document, env_, handler, timestamp,
                        text)
        new = self._store_single(system, row)
        if webhook_id in new:
            self._wake_for([row])
            return 202, {"status": "accepted", "event_id": new[webhook_id], "webhook_id": webhook_id,
                         "correlation_id": correlation_id}, {}
        event_id, known_hash = self._existing(system, [webhook_id])[webhook_id]
        if known_hash == row.payload_hash:
            return 200, {"status": "duplicate", "event_id": event_id, "webhook_id": webhook_id}, {}
        raise self._reject(system, DeliveryRejected(
            409, "conflicting_duplicate",
            "webhook-id %r was already received with a different body (event %s); this delivery is kept for inspection."
            % (webhook_id, event_id), keep=True,
        ), webhook_id, webhook_id, document.get("type"), text)

    def _receive_batch(self, system, settings, delivery, document):
        delivery_id, correlation_id = delivery.webhook_id, delivery.correlation_id
        try:
            # Refusals of the whole body; each event's own values are checked with it below.
            events = envelope.check_batch(document)
        except DeliveryRejected as rejection:
            if rejection.keep:
                self._reject(system, rejection, delivery_id, delivery_id, False, delivery.body.decode("utf-8"))
            raise
        outcomes, rows = [], []
        for event in events:
            try:
                env_, handler, timestamp = self._validate(system, settings, delivery, event)
            except DeliveryRejected as rejection:
                if rejection.keep:
                    # strict_json.dumps shows what was sent even where json.dumps cannot (NaN
                    # literals, repeated keys, lone surrogates).
                    self._reject(system, rejection, event["id"], delivery_id, event.get("type"),
                                 strict_json.dumps(event))
                outcomes.append({
                    "id": event["id"], "status": "rejected", "http_status": rejection.status, **rejection.as_json(),
                })
                continue
            payload = json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            rows.append(self._row(system, settings, event["id"], delivery_id, correlation_id, event, env_, handler,
                                  timestamp, payload))
            outcomes.append({"id": event["id"], "row": len(rows) - 1})
        new = self._insert(rows) if rows else {}
        existing = {}
        if len(new) < len(rows):
            existing = self._existing(system, [row.webhook_id for row in rows if row.webhook_id not in new])
        claimed = set()
        accepted = 0
        for outcome in outcomes:
            if "row" not in outcome:
                continue
            row = rows[outcome.pop("row")]
            webhook_id = row.webhook_id
            if webhook_id in new and webhook_id not in claimed:
                # The first occurrence of an id inside the batch is the one inserted.
                claimed.add(webhook_id)
                accepted += 1
                outcome.update(status="accepted", http_status=202, event_id=new[webhook_id])
                continue
            event_id, known_hash = existing.get(webhook_id) or (new[webhook_id], self._hash_of(new[webhook_id]))
            if known_hash == row.payload_hash:
                outcome.update(status="duplicate", http_status=200, event_id=event_id)
            else:
                rejection = DeliveryRejected(
                    409, "conflicting_duplicate",
                    "Event id %r was already received with a different body (event %s)." % (webhook_id, event_id),
                    keep=True,
                )
                self._reject(system, rejection, webhook_id, delivery_id, row.event_type, row.payload)
                outcome.update(status="rejected", http_status=409, **rejection.as_json())
        if accepted:
            self._wake_for([row for row in rows if row.webhook_id in new])
        summary = {
            "accepted": accepted,
            "duplicates": sum(o["status"] == "duplicate" for o in outcomes),
            "rejected": sum(o["status"] == "rejected" for o in outcomes),
        }
        return (202 if accepted else 200), {"status": "processed", "correlation_id": correlation_id,
                                            "summary": summary, "events": outcomes}, {}

    def _hash_of(self, event_id):
        self.env.cr.execute("SELECT payload_hash FROM construction_sync_event WHERE id = %s", (event_id,))
        (payload_hash,) = self.env.cr.fetchone()
        return payload_hash

    def _wake_for(self, rows):
        if any(row.processing_mode == "realtime" for row in rows):
            self.env["construction.sync.runner"]._wake_realtime()
