import json
import logging
import random
import time
import uuid
from collections import namedtuple
from datetime import datetime, timedelta
from secrets import token_hex

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..sync import gc_pause, outbound, pgcopy, sender, signature
from .construction_sync_subscription import ALL_TYPES

_logger = logging.getLogger(__name__)

STATES = [
    ("pending", "Queued"),
    ("delivered", "Delivered"),
    ("dead", "Dead"),
]
RUNNER = "construction_sync.ir_cron_outbound_deliver"
# Messages per claim (over all endpoints): one commit before and one after sending them.
CLAIM_SIZE = 256
# An endpoint with nothing in flight gets a batch of up to this many messages per allowed
# concurrent request, sent over that many keep-alive connections in rounds.
BATCH_PER_SLOT = 32
CRON_BUDGET_SECONDS = 50
# Sending time of one run. The scheduler keeps the transaction that took the job open while the
# job runs (ir.cron._process_jobs), so no row version a run makes obsolete can be removed, nor its
# index entries skipped, before the run ends: every claim, count and in-flight check of a long run
# walked the index entries of every message the run had sent (10 000 messages: claims 30 times
# slower at the end than at the start). A busy runner comes back in a new run this often.
WORK_SECONDS = 1.0
# See construction.sync.runner._linger: a publish skips its wake-up NOTIFY when another was sent
# less than a second before, so an emptied runner keeps looking a little longer than that.
QUIET_SECONDS = 1.5
QUIET_POLL_SECONDS = 0.2
# A runner stays for a retry due within this many seconds (see _cron_deliver).
RETRY_WAIT_SECONDS = 30
# A claim protects its messages this much longer than their endpoint's timeout.
LEASE_MARGIN_SECONDS = 60
# A message `m` a runner may take: queued, due, and in no live claim (construction.sync.outbox.
# claim: `busy`, the ids live claims hold). `<> ALL` of a constant array: PostgreSQL hashes it.
READY = """
    (m.state = 'pending' AND m.next_attempt_at <= statement_timestamp() at time zone 'utc'
     AND m.id <> ALL(%(busy)s::int[]))
"""
# `m` is the earliest message about its object to its endpoint still queued (being sent
# included: a claimed message stays queued until its answer is recorded): a later one waits for
# it, so a receiver never hears "voided" before "approved". Dead messages do
# not block (they wait for a person's replay; the object's later news still goes out). A scalar
# subquery on object_idx, not NOT EXISTS: PostgreSQL turns that into an anti-join, and on a queue
# filled faster than autovacuum analyzes it (every burst) it planned a nested loop comparing each
# ready message with every other (0.6 s a claim with 2 000 queued).
HEAD_OF_OBJECT = """
    m.id = (SELECT older.id FROM construction_sync_outbox older
             WHERE older.subscription_id = m.subscription_id AND older.object_key = m.object_key
               AND older.state = 'pending'
             ORDER BY older.id LIMIT 1)
"""
# Every index costs each message an entry per index it falls in, and one more on delivery (a
# change of state is never a HOT update, the partial indexes' predicates read it), so the table
# has only the indexes its queries use: the claim and the queue figures (pending_idx,
# pending_object_idx), the dead ones (dead_idx), a record's trace (record_idx);
# unique(subscription_id, webhook_id) serves a subscription's messages and its cascade.
INDEXES = [
    ("pending_idx", "(subscription_id, next_attempt_at, id) WHERE state = 'pending'"),
    ("pending_object_idx", "(subscription_id, object_key, id) WHERE state = 'pending'"),
    ("dead_idx", "(subscription_id, id) WHERE state = 'dead'"),
    ("record_idx", "(res_model, res_id)"),
]
# Indexes of earlier versions (an upgrade drops them): single-column ones redundant with the
# above, and those of the former per-message `sending` state.
DROPPED_INDEXES = ["construction_sync_outbox__%s_index" % column
                   for column in ("subscription_id", "company_id", "webhook_id", "event_type", "state")] + [
    "construction_sync_outbox_queue_idx", "construction_sync_outbox_object_idx",
    "construction_sync_outbox_sending_idx"]
# Columns of earlier versions Odoo leaves behind: access logging (see _log_access) and the
# per-message claim (see construction.sync.outbox.claim).
DROPPED_COLUMNS = ["create_uid", "create_date", "write_uid", "write_date", "lease_expires_at", "claim_token",
                   "runner_lock"]


PUBLISHED_KEY = "construction_sync_published"


def new_webhook_id():
    """msg_ and 32 hex digits: the time in milliseconds (12), then 80 random bits (as Svix's
    time-sortable ids). Sorted by time, a publish's ids go to the right edge of the unique index
    on (subscription, webhook id) instead of 10 000 random places in it; receivers see no
    difference, an id is still unique and opaque."""
    return "msg_%012x%s" % (time.time_ns() // 1_000_000, token_hex(10))


# A claimed message as the claim reads it (attempts: this attempt's number).
Claimed = namedtuple("Claimed", "id subscription_id company_id webhook_id payload attempts")


class ConstructionSyncOutbox(models.Model):
    """The transactional outbox: one row per message to one subscription, written in the
    business transaction that published it (a rollback leaves nothing), delivered after commit by
    the outbound runner. `webhook_id` never changes, whatever the retries or replays."""

    _name = "construction.sync.outbox"
    _inherit = ["construction.sync.record.ref.mixin"]
    _description = "Outbound Message"
    _order = "id desc"
    _rec_name = "webhook_id"
    # created_at and the delivery log say when and what; the four columns of access logging cost
    # a publish two foreign key checks a message (create_uid, write_uid), a tenth of its INSERT.
    _log_access = False

    # identity
    subscription_id = fields.Many2one("construction.sync.subscription", required=True, readonly=True,
                                      ondelete="cascade")
    system_id = fields.Many2one(related="subscription_id.system_id")
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    webhook_id = fields.Char(required=True, readonly=True)
    event_type = fields.Char(required=True, readonly=True)
    object_key = fields.Char(required=True, readonly=True)
    res_model = fields.Char(string="Record Model", readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True)
    record_ref = fields.Reference(selection="_selection_record_ref", string="Record", compute="_compute_record_ref")
    payload = fields.Text(required=True, readonly=True, help="The body exactly as sent.")
    payload_pretty = fields.Text(compute="_compute_payload_pretty")
    created_at = fields.Datetime(required=True, readonly=True, default=fields.Datetime.now)

    # state
    state = fields.Selection(STATES, required=True, default="pending", readonly=True)
    attempts = fields.Integer(readonly=True, default=0)
    next_attempt_at = fields.Datetime(readonly=True)
    delivered_at = fields.Datetime(readonly=True)
    last_status = fields.Integer(readonly=True, help="HTTP status of the last attempt (0: no answer).")
    last_error = fields.Text(readonly=True)
    attempt_ids = fields.One2many("construction.sync.outbox.attempt", "message_id", string="Delivery Log")

    _sql_constraints = [
        ("webhook_id_uniq", "unique(subscription_id, webhook_id)", "A message id is sent once per subscription."),
    ]

    def init(self):
        self.env.cr.execute(SQL("ALTER TABLE construction_sync_outbox %s", SQL(", ").join(
            SQL("DROP COLUMN IF EXISTS %s", SQL.identifier(column)) for column in DROPPED_COLUMNS)))
        # Messages an earlier version left in its `sending` state: queued again (their claims
        # went with that version), sent again with their webhook-id.
        self.env.cr.execute("UPDATE construction_sync_outbox SET state = 'pending' WHERE state = 'sending'")
        for name in DROPPED_INDEXES:
            self.env.cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
        for suffix, definition in INDEXES:
            self.env.cr.execute(SQL("CREATE INDEX IF NOT EXISTS %s ON construction_sync_outbox %s",
                                    SQL.identifier("construction_sync_outbox_" + suffix), SQL(definition)))

    def _compute_payload_pretty(self):
        for message in self:
            try:
                message.payload_pretty = json.dumps(json.loads(message.payload), indent=2, ensure_ascii=False)
            except (TypeError, ValueError):
                message.payload_pretty = message.payload

    # ------------------------------------------------------------------------------------------
    # publishing (in the business transaction)
    # ------------------------------------------------------------------------------------------

    @api.model
    def _publish(self, event_type, records):
        """Writes one message per record and per active subscription of the record's company that
        wants `event_type`, in the caller's transaction, and wakes the outbound runner after
        commit. Nothing when no subscription wants the type, and nothing to the system whose
        inbound event is being applied (context key construction_sync_origin_system_id, set by the
        processor). Returns the messages."""
        publisher = self.env["construction.sync.publisher"]._get(event_type)
        if publisher is None:
            raise ValueError("unknown outbound event type %s: no installed addon declares it" % event_type)
        if not records:
            return self.browse()
        if records._name != publisher.model:
            raise ValueError("%s is published about %s records, not %s" % (event_type, publisher.model, records._name))
        with gc_pause.paused():
            values = self._publish_values(publisher, event_type, records)
            if not values:
                return self.browse()
            messages = self._insert(values)
        # Noted per transaction for _refresh_payloads: an event that creates a record publishes
        # before the engine maps the record to the event's external id.
        self.env.cr.cache.setdefault(PUBLISHED_KEY, []).extend(messages.ids)
        self._wake()
        return messages

    @api.model
    def _publish_values(self, publisher, event_type, records):
        """The messages (_values) that publishing `event_type` about `records` writes."""
        if "company_id" in records._fields:
            records.sudo().fetch(["company_id"])
        by_company = {}
        for record in records:
            company = record.company_id if "company_id" in record._fields and record.company_id else self.env.company
            by_company.setdefault(company.id, []).append(record.id)
        # A change applied from a system's own event is not sent back to that system (it knows, and
        # an echo could loop between two systems that both publish); the other systems hear of it.
        origin = self.env.context.get("construction_sync_origin_system_id")
        origins = set(origin if isinstance(origin, (list, tuple)) else [origin]) if origin else set()
        Subscription = self.env["construction.sync.subscription"]
        now = fields.Datetime.now()
        timestamp = now.isoformat() + "Z"
        values = []
        for company_id, record_ids in by_company.items():
            targets = [(subscription_id, company_id) for subscription_id, system_id, types
                       in Subscription._routes(company_id)
                       if (ALL_TYPES in types or event_type in types) and system_id not in origins]
            if not targets:
                continue
            company_records = records.browse(record_ids)
            # What the payloads read and no more; only when someone listens.
            company_records.sudo().fetch(publisher.fields)
            payloads = list(zip(company_records, publisher.payloads(company_records.sudo())))
            # The external ids of every record the payloads name, in one query.
            outbound.resolve(self.env, [data for _record, data in payloads])
            for record, data in payloads:
                body = self._body(event_type, publisher.schema_version, data, timestamp)
                for subscription_id, target_company in targets:
                    values.append(self._values(subscription_id, target_company, event_type, body,
                                               publisher.object_key(record), record._name, record.id, now))
        return values

    @api.model
    def _published_count(self):
        """How many messages this transaction has published so far (a mark for _refresh_payloads)."""
        return len(self.env.cr.cache.get(PUBLISHED_KEY, ()))

    @api.model
    def _refresh_payloads(self, mark, records):
        """Builds again the payloads of the messages about `records` published in this
        transaction since `mark`, which are not sent before the commit: the processor calls it
        once it has mapped the records it applied, so a message about a record an inbound event
        created carries the external id that event gave it."""
        published = self.env.cr.cache.get(PUBLISHED_KEY, ())[mark:]
        if not published or not records:
            return
        keys = {(record._name, record.id): record for record in records}
        for message in self.sudo().browse(published).exists():
            record = keys.get((message.res_model, message.res_id))
            publisher = record and self.env["construction.sync.publisher"]._get(message.event_type)
            if not publisher or message.state != "pending" or message.attempts:
                continue
            body = json.loads(message.payload)
            data = outbound.resolve(self.env, publisher.payload(record.sudo()))
            if data != body["data"]:
                message.payload = self._body(message.event_type, body["schema_version"], data, body["timestamp"])

    @api.model
    def _body(self, event_type, schema_version, data, timestamp=None):
        return json.dumps({
            "type": event_type,
            "timestamp": timestamp or fields.Datetime.now().isoformat() + "Z",
            "schema_version": schema_version,
            "data": data,
        }, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @api.model
    def _values(self, subscription_id, company_id, event_type, body, object_key, res_model, res_id, now=None):
        now = now or fields.Datetime.now()
        return {
            "subscription_id": subscription_id,
            "company_id": company_id,
            "webhook_id": new_webhook_id(),
            "event_type": event_type,
            "object_key": object_key,
            "res_model": res_model,
            "res_id": res_id,
            "payload": body,
            "created_at": now,
            "next_attempt_at": now,
        }

    @api.model
    def _insert(self, values):
        """Writes the messages `values` (from _values) with COPY and returns them. The ORM's
        create took 0.25 ms a message in defaults and cache bookkeeping, a second for a publish
        of 4 000 records; an INSERT of arrays spent a third of its time parsing them (a publish
        of 10 000 messages is 100 000 values). These rows are the engine's own and every column
        is given; their ids are taken from the table's sequence first, as an INSERT would."""
        if not values:
            return self.browse()
        self.env.cr.execute("SELECT nextval('construction_sync_outbox_id_seq') FROM generate_series(1, %s)",
                            [len(values)])
        ids = [message_id for (message_id,) in self.env.cr.fetchall()]
        pgcopy.copy_rows(
            self.env.cr, "construction_sync_outbox",
            ("id", "subscription_id", "company_id", "webhook_id", "event_type", "object_key", "res_model", "res_id",
             "payload", "created_at", "next_attempt_at", "state", "attempts"),
            ((message_id, row["subscription_id"], row["company_id"], row["webhook_id"], row["event_type"],
              row["object_key"], row["res_model"] or None, row["res_id"] or None, row["payload"], row["created_at"],
              row["next_attempt_at"], "pending", 0) for message_id, row in zip(ids, values)))
        return self.sudo().browse(ids)

    @api.model
    def _enqueue(self, subscription, event_type, data, object_key, res_model=None, res_id=None):
        """One message to one subscription whatever its types (the test event)."""
        body = self._body(event_type, 1, data)
        message = self.sudo().create(self._values(subscription.id, subscription.company_id.id, event_type, body,
                                                  object_key, res_model, res_id))
        self._wake()
        return message

    @api.model
    def _wake(self):
        """Wakes the outbound runner after commit (a trigger row, rolled back with the
        transaction; the NOTIFY is skipped when one was sent within a second)."""
        self.env["construction.sync.runner"]._wake_realtime((RUNNER,))

    # ------------------------------------------------------------------------------------------
    # the runner: claim, send outside any transaction, record
    # ------------------------------------------------------------------------------------------

    @api.model
    def _cron_deliver(self):
        """The outbound runner: sends what is ready, then stays while new messages come in (see
        QUIET_SECONDS) or a retry is due within RETRY_WAIT_SECONDS, so that the schedule's first
        waits (5 s) and short Retry-After answers are kept to the second; a later retry is taken
        by the cron's next run (its interval is a minute). A run that has sent for WORK_SECONDS
        with more ready triggers a new run instead of going on (see WORK_SECONDS). Even a run
        that finds nothing stays QUIET_SECONDS: a publish that finds a wake-up younger than a
        second skips its own (construction.sync.runner._wake_realtime) and counts on a run that
        is on to look again; ending at once broke that (a session's attempt, see the README)."""
        Runner = self.env["construction.sync.runner"]
        started = time.monotonic()
        deadline = started + CRON_BUDGET_SECONDS
        work_until = started + WORK_SECONDS
        sent = self._drain(deadline=work_until)
        quiet_since = time.monotonic()
        while time.monotonic() < deadline:
            if self._ready_count():
                if time.monotonic() >= work_until:
                    break
                drained = self._drain(deadline=work_until)
                sent += drained
                if drained:
                    quiet_since = time.monotonic()
                    continue
            waiting_retry = self._retry_due_within(min(RETRY_WAIT_SECONDS, deadline - time.monotonic()))
            if not waiting_retry and time.monotonic() - quiet_since >= QUIET_SECONDS:
                break
            time.sleep(QUIET_POLL_SECONDS)
            # A new transaction, so the queries see what was committed meanwhile.
            self.env.cr.commit()
        if self._ready_count():
            # A new run rather than Odoo's rerun in its open transaction: see
            # construction.sync.runner._come_back.
            Runner._come_back(RUNNER)
        self.env["ir.cron"]._notify_progress(done=sent, remaining=0)
        return sent

    @api.model
    def _ready_count(self):
        """How many messages a claim could take now, up to one claim's worth: ready, of an
        active subscription, and first of their object (a message waiting for an earlier one's
        retry is not counted, else the runner would come back for it again and again)."""
        self.flush_model()
        self.env.cr.execute(SQL(
            "SELECT count(*) FROM (SELECT 1 FROM construction_sync_outbox m JOIN construction_sync_subscription s"
            " ON s.id = m.subscription_id WHERE s.active AND " + READY + " AND " + HEAD_OF_OBJECT +
            " LIMIT %(limit)s) ready",
            busy=self.env["construction.sync.outbox.claim"]._busy_ids(), limit=CLAIM_SIZE))
        return self.env.cr.fetchone()[0]

    @api.model
    def _retry_due_within(self, seconds):
        due_in = self._next_due_in()
        return due_in is not None and due_in <= seconds

    @api.model
    def _next_due_in(self):
        """Seconds until the next queued message of an active subscription that no runner is
        sending is due (None: none)."""
        self.flush_model()
        self.env.cr.execute(
            "SELECT extract(epoch FROM min(m.next_attempt_at) - (statement_timestamp() at time zone 'utc'))"
            "  FROM construction_sync_outbox m JOIN construction_sync_subscription s ON s.id = m.subscription_id"
            " WHERE s.active AND m.state = 'pending' AND m.id <> ALL(%s::int[])",
            [self.env["construction.sync.outbox.claim"]._busy_ids()])
        (seconds,) = self.env.cr.fetchone()
        return None if seconds is None else max(0.0, float(seconds))

    @api.model
    @gc_pause.paused()
    def _drain(self, deadline=None, commit=True, rng=None):
        """Claims, sends and records messages until none is ready (or the deadline). With
        commit=True (the runner) each claim is committed before any of its HTTP requests and its
        results after them, so no database transaction stays open during a request, and a runner
        killed mid-request leaves its claim behind, stale at once (its advisory lock is gone): the
        next runner takes its messages and sends them with the same webhook-id. commit=False keeps
        everything in the caller's transaction (tests).

        Pipelined: while one claim's messages are being sent, the previous claim's results are
        written and the next claim is made (its requests start when these end, so an endpoint
        never has more than its cap at once). A message waiting for an earlier one about its
        object still waits for its result: the claim does not take it while that one is sent."""
        Queue = self.env["construction.sync.queue"]
        rng = rng or random.Random()
        sent = 0
        lock = Queue._acquire_runner_lock()
        # A claim sent and not yet recorded: (rows, token, results), or None.
        finished = None

        def record_finished():
            self._record(finished[0], finished[1], finished[2], rng)
            if commit:
                self.env.cr.commit()
        try:
            token = str(uuid.uuid4())
            rows, slots = self._claim_rows(CLAIM_SIZE, token, lock)
            if commit:
                self.env.cr.commit()
            while rows:
                wait = self._start_sending(rows, slots)
                if finished is not None:
                    record_finished()
                    finished = None
                following = None
                if deadline is None or time.monotonic() < deadline:
                    following_token = str(uuid.uuid4())
                    following = self._claim_rows(CLAIM_SIZE, following_token, lock, sending_token=token)
                    if commit:
                        self.env.cr.commit()
                results = wait()
                finished = (rows, token, [results[row.id] for row in rows])
                sent += len(rows)
                if following is None:
                    break
                token, (rows, slots) = following_token, following
            if finished is not None:
                record_finished()
            return sent
        finally:
            Queue._release_runner_lock(lock)

    @api.model
    def _claim(self, limit, token, lock):
        """The messages _claim_rows claims, as records, and its slots."""
        rows, slots = self._claim_rows(limit, token, lock)
        return self.sudo().browse(sorted(row.id for row in rows)), slots

    @api.model
    def _claim_rows(self, limit, token, lock, sending_token=None):
        """Claims up to `limit` ready messages and returns them (Claimed rows, in id order: what
        sending and recording need, read by the claim itself) with {subscription id: how many
        of them may be sent at once}. An endpoint gets at most max_in_flight requests at a time:
        a runner claims a batch of its messages only when none is being sent to it (and sends
        them over max_in_flight connections), or the few that fill its cap; the runner's own
        claim `sending_token`, being sent while this one is made, does not count: this one's
        requests start when those end. Subscriptions are locked while their claims are counted,
        expired and written (SKIP LOCKED: two runners never wait for each other, nor exceed a
        cap or take a message together); FOR NO KEY UPDATE does not block publishing
        transactions, whose new rows only take a key share lock on their subscription."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT s.id, s.max_in_flight, s.timeout_seconds
              FROM construction_sync_subscription s
             WHERE s.active
               AND EXISTS (SELECT 1 FROM construction_sync_outbox m
                            WHERE m.subscription_id = s.id AND m.state = 'pending'
                              AND m.next_attempt_at <= statement_timestamp() at time zone 'utc')
             ORDER BY s.id
               FOR NO KEY UPDATE OF s SKIP LOCKED
            """)
        subscriptions = self.env.cr.fetchall()
        if not subscriptions:
            return [], {}
        Claim = self.env["construction.sync.outbox.claim"]
        subscription_ids = [subscription_id for subscription_id, _cap, _timeout in subscriptions]
        Claim._expire(subscription_ids)
        in_flight_by_subscription = Claim._in_flight(subscription_ids)
        claimed, slots = [], {}
        for subscription_id, cap, timeout in subscriptions:
            claims = in_flight_by_subscription.get(subscription_id, {})
            in_flight = sum(len(ids) for claim_token, ids in claims.items() if claim_token != sending_token)
            threads = cap - in_flight
            room = min(cap * BATCH_PER_SLOT if not in_flight else threads, limit - len(claimed))
            if threads <= 0 or room <= 0:
                continue
            busy = [message_id for ids in claims.values() for message_id in ids]
            rows = self._claim_subscription(subscription_id, room, busy)
            if not rows:
                continue
            # A batch is sent in rounds of `threads`: the lease covers them all, and those of the
            # batch being sent when this one is claimed ahead of its turn.
            lease = timedelta(seconds=(timeout * -(-len(rows) // threads) * (2 if sending_token else 1))
                              + LEASE_MARGIN_SECONDS)
            Claim._take(token, subscription_id, lock, lease, [row.id for row in rows])
            claimed += rows
            slots[subscription_id] = threads
            if len(claimed) >= limit:
                break
        self.invalidate_model()
        return sorted(claimed), slots

    @api.model
    def _claim_subscription(self, subscription_id, room, busy):
        """Up to `room` ready messages of one subscription (locked by the caller; `busy`: the ids
        its live claims hold), first due first, each the earliest of its object, as Claimed rows.

        The queue is read in pages along pending_idx, and only a page's messages are checked for
        an earlier one of their object. In one statement PostgreSQL checked every ready message
        of the subscription before sorting them and keeping the first `room`: it cannot tell how
        many pass the object check, guesses few, and so reads them all (16 ms a claim with
        10 000 queued, a third of a delivery's time in the database). A page that yields fewer
        than `room` (messages behind their object's retry) is followed by the next one, so a
        message far down the queue is never left behind a long run of blocked ones."""
        claimed = []
        after = (datetime.min, 0)
        page_size = max(2 * room, 64)
        while len(claimed) < room:
            self.env.cr.execute(
                """
                SELECT m.next_attempt_at, m.id FROM construction_sync_outbox m
                 WHERE m.subscription_id = %s AND m.state = 'pending'
                   AND m.next_attempt_at <= statement_timestamp() at time zone 'utc'
                   AND (m.next_attempt_at, m.id) > (%s, %s) AND m.id <> ALL(%s::int[])
                 ORDER BY m.next_attempt_at, m.id
                 LIMIT %s
                """, (subscription_id, after[0], after[1], busy, page_size))
            page = self.env.cr.fetchall()
            if not page:
                break
            self.env.cr.execute(SQL(
                """
                SELECT m.id, m.subscription_id, m.company_id, m.webhook_id, m.payload, COALESCE(m.attempts, 0) + 1
                  FROM construction_sync_outbox m
                 WHERE m.id = ANY(%(page)s) AND """ + READY + """ AND """ + HEAD_OF_OBJECT + """
                 ORDER BY m.next_attempt_at, m.id
                 LIMIT %(room)s
                """, page=[message_id for _at, message_id in page], busy=busy, room=room - len(claimed)))
            claimed += [Claimed(*row) for row in self.env.cr.fetchall()]
            if len(page) < page_size:
                break
            after = page[-1]
        return claimed

    @api.model
    def _start_sending(self, rows, slots):
        """Starts sending the claimed messages, at most slots[subscription] at a time to each
        endpoint, all endpoints at once; returns a function waiting for {message id:
        sender.Result}. A subscription's messages are dealt into `slots` lanes, each sent one
        after the other on one connection of the process's sending loop."""
        requests_by_subscription, endpoints = {}, {}
        for row in rows:
            if row.subscription_id not in endpoints:
                # Read and decrypted once per claim, not per message.
                subscription = self.env["construction.sync.subscription"].sudo().browse(row.subscription_id)
                endpoints[row.subscription_id] = (subscription.endpoint_url, subscription.timeout_seconds,
                                                  subscription._signing_secrets(), subscription._headers())
            url, timeout, secrets, custom_headers = endpoints[row.subscription_id]
            body = row.payload.encode()
            requests_by_subscription.setdefault(row.subscription_id, []).append(
                (row.id, (url, body, self._headers(row.webhook_id, body, secrets, custom_headers), timeout)))
        lanes = []
        for subscription_id, batch in requests_by_subscription.items():
            width = min(slots[subscription_id], len(batch))
            lanes += [batch[lane::width] for lane in range(width)]
        wait = sender.start_lanes(lanes)

        def results():
            merged = {}
            for lane_results in wait():
                merged.update(lane_results)
            return merged
        return results

    @api.model
    def _headers(self, webhook_id, body, secrets, custom_headers):
        """The headers of one attempt, signed now with every one of `secrets`."""
        timestamp = int(time.time())
        headers = dict(custom_headers)
        headers.update({
            "Content-Type": "application/json",
            "User-Agent": "Odoo construction_sync",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": " ".join(signature.sign(secret, webhook_id, timestamp, body) for secret in secrets),
        })
        return headers

    def _request(self, secrets=None, custom_headers=None):
        """(url, body, headers, timeout) for one attempt of this message, signed now (with
        `secrets`, the subscription's signing secrets when the caller has them already)."""
        self.ensure_one()
        subscription = self.subscription_id.sudo()
        body = self.payload.encode()
        if secrets is None:
            secrets, custom_headers = subscription._signing_secrets(), subscription._headers()
        headers = self._headers(self.webhook_id, body, secrets, custom_headers)
        return subscription.endpoint_url, body, headers, subscription.timeout_seconds

    @api.model
    def _record(self, rows, token, results, rng):
        """Writes each attempt's outcome (`rows`: Claimed rows): its log row, the message's new
        state, and what the endpoint's answers mean for the subscription (410 disables it;
        failing for its whole failure period disables it too). Successes, the common case, in one
        statement; a failure through the ORM."""
        now = fields.Datetime.now()
        # Still ours: our claim is there to end (a runner that found it stale and took its messages
        # again owns their outcome). Successes, the common case, in one statement; failures
        # through the ORM.
        owned = self.env["construction.sync.outbox.claim"]._release(token)
        rows_results = [(row, result) for row, result in zip(rows, results) if row.id in owned]
        delivered = [(row.id, row.attempts, result.status) for row, result in rows_results if result.success]
        if delivered:
            self.env.cr.execute(
                """
                UPDATE construction_sync_outbox m
                   SET state = 'delivered', delivered_at = %s, attempts = v.attempts, last_status = v.status,
                       last_error = NULL
                  FROM unnest(%s::int[], %s::int[], %s::int[]) AS v(id, attempts, status)
                 WHERE m.id = v.id AND m.state = 'pending'
                """,
                (now, *[list(column) for column in zip(*delivered)]))
            self.invalidate_model(["state", "delivered_at", "attempts", "last_status", "last_error"])
        Attempt = self.env["construction.sync.outbox.attempt"]
        log = []
        failing = {}
        for row, result in rows_results:
            log.append(Attempt._row(row.id, row.subscription_id, row.company_id, row.attempts, result, now))
            if result.success:
                continue
            message = self.sudo().browse(row.id)
            if message.state != "pending":
                continue
            subscription = message.subscription_id.sudo()
            values = {"attempts": row.attempts, "last_status": result.status, "last_error": result.error}
            if result.status == 410:
                # The receiver says the endpoint is gone for good: stop sending to it; the message
                # waits, not lost, should someone re-enable the subscription.
                values["next_attempt_at"] = now
                message.write(values)
                subscription._disable(_("the endpoint answered 410 Gone"))
                continue
            delay = outbound.parse_retry_after(result.retry_after) if result.status in (429, 503) else None
            if delay is None:
                delay = outbound.retry_delay(row.attempts, rng)
            if delay is None:
                values["state"] = "dead"
            else:
                values["next_attempt_at"] = now + timedelta(seconds=delay)
            message.write(values)
            failing[subscription] = True
        if delivered:
            # Only subscriptions marked failing need a write: one query finds them.
            recovering = {row.subscription_id for row, result in rows_results if result.success}
            recovered = self.env["construction.sync.subscription"].sudo().search(
                [("id", "in", list(recovering)), ("failing_since", "!=", False)]).filtered(
                lambda s: s not in failing)
            if recovered:
                recovered.write({"failing_since": False})
        for subscription in failing:
            if not subscription.active:
                continue
            if not subscription.failing_since:
                subscription.failing_since = now
            elif now - subscription.failing_since >= timedelta(hours=subscription.disable_after_hours):
                subscription._disable(_("every delivery failed for %s hours", subscription.disable_after_hours))
        Attempt._insert(log)

    @api.model
    def _check_user(self):
        if not self.env.user.has_group("construction_sync.group_user"):
            raise AccessError(_("Only integration users can see outbound messages."))

    def _check_manager(self):
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise UserError(_("Only integration managers can retry or replay outbound messages."))

    def action_retry(self):
        """Sends dead or waiting messages again now, with the same webhook-id."""
        self._check_manager()
        refused = self.filtered(lambda m: m.state not in ("dead", "pending"))
        if refused:
            raise UserError(_("Only dead or queued messages can be retried (%s is not).", refused[0].webhook_id))
        sending = set(self.ids) & set(self.env["construction.sync.outbox.claim"]._busy_ids())
        if sending:
            raise UserError(_("%s is being sent: its answer decides what comes next.",
                              self.browse(min(sending)).webhook_id))
        self.sudo().write({"state": "pending", "next_attempt_at": fields.Datetime.now(), "attempts": 0})
        self._wake()
        return True

    def action_replay(self):
        """Sends delivered or dead messages once more (same webhook-id: a receiver that kept them
        dedupes, one that lost them gets them back)."""
        self._check_manager()
        refused = self.filtered(lambda m: m.state not in ("dead", "delivered"))
        if refused:
            raise UserError(_("Only delivered or dead messages can be replayed (%s is not).", refused[0].webhook_id))
        self.sudo().write({"state": "pending", "next_attempt_at": fields.Datetime.now(), "attempts": 0,
                           "delivered_at": False})
        self._wake()
        return True

    @api.model
    def replay_range(self, subscription_id, date_from, date_to, event_type=None, include_delivered=False):
        """Puts the dead messages (and the delivered ones with include_delivered) of one
        subscription published between date_from and date_to (UTC) back in the queue; returns
        how many."""
        self._check_manager()
        subscription = self.env["construction.sync.subscription"].with_context(active_test=False).browse(
            subscription_id).exists()
        subscription.check_access("read")
        states = ["dead", "delivered"] if include_delivered else ["dead"]
        domain = [("subscription_id", "=", subscription.id), ("state", "in", states),
                  ("created_at", ">=", date_from), ("created_at", "<=", date_to)]
        if event_type:
            domain.append(("event_type", "=", event_type))
        messages = self.search(domain, order="id")
        if messages:
            messages.action_replay()
        return len(messages)

    # ------------------------------------------------------------------------------------------
    # cockpit
    # ------------------------------------------------------------------------------------------

    @api.model
    def get_failed_deliveries(self, subscription_id=None, offset=0, limit=50):
        """The cockpit's outbound exceptions: dead messages and queued ones that failed at least
        once, newest first, with their last error. {"total": n, "rows": [{id, webhook_id,
        subscription_id, subscription, event_type, state, attempts, last_status, last_error,
        created_at, next_attempt_at, res_model, res_id}]}."""
        self._check_user()
        domain = ["|", ("state", "=", "dead"), "&", ("state", "=", "pending"), ("attempts", ">", 0)]
        if subscription_id:
            domain.append(("subscription_id", "=", subscription_id))
        messages = self.search(domain, offset=offset, limit=limit)
        return {
            "total": self.search_count(domain),
            "rows": [{
                "id": message.id, "webhook_id": message.webhook_id,
                "subscription_id": message.subscription_id.id, "subscription": message.subscription_id.name,
                "event_type": message.event_type, "state": message.state, "attempts": message.attempts,
                "last_status": message.last_status, "last_error": message.last_error or None,
                "created_at": fields.Datetime.to_string(message.created_at),
                "next_attempt_at": (fields.Datetime.to_string(message.next_attempt_at)
                                    if message.next_attempt_at and message.state != "dead" else None),
                "res_model": message.res_model or None, "res_id": message.res_id or None,
            } for message in messages],
        }

    @api.model
    def act(self, action, message_ids):
        """Retry or Replay from the cockpit: {"done": n}."""
        if action not in ("retry", "replay"):
            raise UserError(_("Unknown action %s.", action))
        messages = self.browse(message_ids).exists()
        messages.check_access("read")
        getattr(messages, "action_%s" % action)()
        return {"done": len(messages)}

    def action_open_record(self):
        self.ensure_one()
        if not (self.res_model in self.env and self.res_id):
            raise UserError(_("This message is about no Odoo record."))
        return {"type": "ir.actions.act_window", "res_model": self.res_model, "res_id": self.res_id,
                "view_mode": "form", "views": [(False, "form")]}

    @api.model
    def _cron_purge(self):
        """Deletes delivered messages (and their delivery log) past their system's retention of
        done events; dead and queued ones are kept."""
        self.env.cr.execute(
            """
            DELETE FROM construction_sync_outbox m
             USING construction_sync_subscription s, construction_sync_system y
             WHERE s.id = m.subscription_id AND y.id = s.system_id
               AND m.state = 'delivered'
               AND m.delivered_at < (statement_timestamp() at time zone 'utc')
                                    - make_interval(days => y.done_retention_days)
            """
        )
        _logger.info("purged %s delivered outbound messages", self.env.cr.rowcount)
        return self.env.cr.rowcount

    @api.model
    def _register_hook(self):
        """After a restart with messages queued (or claimed by a killed worker), the runner is due
        at once: it re-sends them with their webhook-id, receivers dedupe."""
        super()._register_hook()
        self.env.cr.execute("SELECT 1 FROM construction_sync_outbox WHERE state = 'pending' LIMIT 1")
        if self.env.cr.fetchone():
            cron = self.env.ref(RUNNER, raise_if_not_found=False)
            if cron:
                cron.sudo()._trigger()
