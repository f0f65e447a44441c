import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..sync.errors import ERROR_CLASSES
from .access import readable

STATES = [
    ("pending", "Pending"),
    ("processing", "Processing"),
    ("awaiting_approval", "Awaiting Approval"),
    ("done", "Done"),
    ("failed", "Failed"),
    ("dead", "Dead"),
    ("stale", "Stale"),
    ("ignored", "Ignored"),
]
# States a person can send back to the queue with Retry.
RETRYABLE = ("failed", "dead")
# Indexes the ORM cannot declare (partial, expression, INCLUDE). Exception and queue states are
# few among millions of done events, so each partial index stays small.
INDEXES = [
    # The claim reads a mode's queued events in the order it applies them and stops at its
    # limit. Ordered by due time instead (the former queue_idx), it read every queued event of
    # every mode and sorted them: 60 000 events waiting for the batch runner made each realtime
    # claim 60 ms and realtime processing three times slower.
    ("claim_idx", "(processing_mode, source_timestamp, id) WHERE state IN ('pending', 'processing')"),
    # Per-object ordering: the latest applied or queued event of one external object.
    ("object_idx", "(system_id, object_key, source_timestamp)"),
    # The claim's per-object ordering check (construction.sync.queue.OLDER_QUEUED), one probe per
    # candidate. Without it, on statistics that call the queue small (a burst into a new system),
    # the planner probed the system's whole queue for each candidate: 3 000 queued events cost
    # 9 million row checks per claim. Partial: done events leave it and never enter it again.
    ("queue_object_idx", "(system_id, object_key, source_timestamp, id) WHERE state IN ('pending', 'processing')"),
    # The events being applied now, by runner: the claim's look for runners that died (once per
    # claim), the metrics' claims. Among a backlog waiting for the batch runner, the claim index
    # would have to be read whole to find them.
    ("processing_idx", "(runner_lock) WHERE state = 'processing'"),
    # The claim's check that no other runner is applying an event of the same conflict key.
    ("conflict_idx", "(conflict_key) WHERE state = 'processing' AND conflict_key IS NOT NULL"),
    # Rate limiting and the cockpit's 24 h figures read a system's recent deliveries.
    ("received_idx", "(system_id, received_at)"),
    # The cockpit lists and counts the events waiting for a person, newest first. company_id is
    # included because the multi-company record rule adds it to every query: without it
    # PostgreSQL would read each row to check it.
    ("exception_idx", "(received_at DESC, id DESC) INCLUDE (company_id)"
                      " WHERE state IN ('failed', 'dead', 'awaiting_approval')"),
    ("system_exception_idx", "(system_id, received_at DESC, id DESC) INCLUDE (company_id)"
                             " WHERE state IN ('failed', 'dead', 'awaiting_approval')"),
    # The cockpit's queue and failure figures per system, answered from the index alone.
    ("system_queue_idx", "(system_id, received_at) WHERE state IN ('pending', 'processing')"),
    ("system_failed_idx", "(system_id, received_at) WHERE state IN ('failed', 'dead')"),
    # The cockpit's search by external id or webhook id among the exceptions.
    ("exception_external_idx", "((split_part(object_key, ':', 2)))"
                               " WHERE state IN ('failed', 'dead', 'awaiting_approval')"),
    ("exception_webhook_idx", "(webhook_id) WHERE state IN ('failed', 'dead', 'awaiting_approval')"),
    # The cockpit's stale events of the last days (STALE_WINDOW_DAYS): the list, and the count on
    # each system's card.
    ("stale_idx", "(received_at DESC, id DESC) INCLUDE (company_id) WHERE state = 'stale'"),
    ("system_stale_idx", "(system_id, received_at) WHERE state = 'stale'"),
]
# Up to this many events are applied in the request of the person who retries them.
INLINE_LIMIT = 20
# Share of the event table whose dead row versions start an autovacuum (PostgreSQL: 0.2).
AUTOVACUUM_SCALE = 0.05
# States a manager can close with Ignore. A stale event is ignored to say "seen, nothing to do"
# (an older update that arrived late is expected): it leaves the cockpit's stale count.
IGNORABLE = ("pending", "failed", "dead", "awaiting_approval", "stale")
# The cockpit counts and lists the stale events received over this many days: a wrong watermark
# keeps making the object's new updates stale, so it stays visible; late arrivals fade out.
STALE_WINDOW_DAYS = 7
# The bus channel of a company's open cockpits is (company, BUS_SUBCHANNEL); ir.websocket
# subscribes an integration user's browser to those of the user's companies only.
BUS_SUBCHANNEL = "construction_sync.cockpit"


class ConstructionSyncEvent(models.Model):
    """The durable inbox: one row per event an external system delivered, exactly once per
    (system, webhook id). Rows are created by the intake (SQL, see construction.sync.intake) and
    moved through their states by the processor and by people's actions, each move audited."""

    _name = "construction.sync.event"
    _inherit = ["construction.sync.record.ref.mixin"]
    _description = "Synced Event"
    _order = "received_at desc, id desc"
    _rec_name = "webhook_id"

    # identity
    # Not indexed alone: (system_id, received_at) and (system_id, object_key, ...) lead with it.
    system_id = fields.Many2one(
        "construction.sync.system", required=True, readonly=True, ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True)
    webhook_id = fields.Char(
        required=True, readonly=True, help="The delivery's idempotency key (webhook-id or batch event id).",
    )
    delivery_id = fields.Char(readonly=True, help="webhook-id of the HTTP delivery that brought the event.")
    correlation_id = fields.Char(readonly=True, index=True)
    event_type = fields.Char(required=True, readonly=True, index=True)
    payload = fields.Text(required=True, readonly=True, help="The event exactly as received.")
    payload_hash = fields.Char(readonly=True)
    payload_pretty = fields.Text(compute="_compute_payload_pretty")
    conflict_key = fields.Char(
        readonly=True, help="Events of one key are never applied by two runners at once (see the handler).")
    object_key = fields.Char(readonly=True, help="The external object the event is about: <model>:<external id>.")
    source_timestamp = fields.Datetime(required=True, readonly=True)
    processing_mode = fields.Selection([("realtime", "Real time"), ("batch", "Batch")], required=True, readonly=True)

    # state
    state = fields.Selection(STATES, required=True, default="pending", readonly=True, index=True)
    attempts = fields.Integer(readonly=True)
    next_attempt_at = fields.Datetime(readonly=True)
    lease_expires_at = fields.Datetime(readonly=True)
    claim_token = fields.Char(readonly=True, copy=False)
    # The advisory lock number of the runner that claimed it (construction.sync.queue): when that
    # lock is gone, so is the runner, and the event is claimable at once.
    runner_lock = fields.Integer(readonly=True, copy=False)
    error_class = fields.Selection(ERROR_CLASSES, readonly=True)
    error_message = fields.Text(readonly=True)
    error_traceback = fields.Text(readonly=True, groups="construction_sync.group_manager")
    # Both set on few events: indexed where set only, so the runners' state changes of every
    # other event skip them (each update of an event adds an entry to every full index).
    waiting_for = fields.Char(readonly=True, index="btree_not_null",
                              help="The mapping key whose arrival releases this event.")
    user_id = fields.Many2one("res.users", string="Assignee", readonly=True, index="btree_not_null")
    approval_summary = fields.Text(readonly=True)
    approved = fields.Boolean(readonly=True)
    # Stale: the watermark that made the event stale, as it was at that moment (it may move or be
    # reset later; this stays the reason). See construction.sync.processor._apply.
    stale_watermark = fields.Datetime(
        readonly=True, help="The source timestamp of the last applied event about the object when this event was "
                            "found older than it (UTC).")
    # Indexed (on its few non-null rows): purging done events checks this foreign key.
    stale_watermark_event_id = fields.Many2one(
        "construction.sync.event", string="Stale Because Of", readonly=True, ondelete="set null",
        index="btree_not_null", help="The event that had set that watermark.")
    watermark_override = fields.Boolean(
        string="Applied Anyway", readonly=True, copy=False,
        help="An integration manager chose to apply this event although it is older than its object's watermark.")
    can_decide = fields.Boolean(
        compute="_compute_can_decide",
        help="The event awaits approval and the current user holds the right its handler names to accept or reject it.",
    )

    # outcome
    res_model = fields.Char(string="Record Model", readonly=True)
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True)
    record_ref = fields.Reference(selection="_selection_record_ref", compute="_compute_record_ref", string="Record")

    # timestamps
    received_at = fields.Datetime(required=True, readonly=True)
    started_at = fields.Datetime(readonly=True)
    finished_at = fields.Datetime(readonly=True)

    audit_ids = fields.One2many("construction.sync.audit", "event_id", readonly=True)

    _sql_constraints = [
        ("webhook_id_uniq", "unique(system_id, webhook_id)",
         "An event with this webhook id was already received from this system."),
    ]

    def init(self):
        # The ORM neither drops an index a field no longer asks for nor changes one whose name
        # exists; init runs before it creates the missing ones.
        self.env.cr.execute("DROP INDEX IF EXISTS construction_sync_event__system_id_index")
        self.env.cr.execute("DROP INDEX IF EXISTS construction_sync_event_queue_idx")
        for column in ("waiting_for", "user_id"):
            self.env.cr.execute(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND indexname = %s",
                ("construction_sync_event__%s_index" % column,),
            )
            row = self.env.cr.fetchone()
            if row and " WHERE " not in row[0]:
                self.env.cr.execute("DROP INDEX construction_sync_event__%s_index" % column)
        for name, definition in INDEXES:
            self.env.cr.execute(
                "CREATE INDEX IF NOT EXISTS construction_sync_event_%s ON construction_sync_event %s"
                % (name, definition)
            )
        # A queue: each event is written three times (received, claimed, applied), leaving two
        # dead row versions. PostgreSQL's default vacuums a table once a fifth of it is dead:
        # 250 000 versions of a table of a million events, read past by every claim, count and
        # intake until then (a sustained run slowed by a sixth between two vacuums). A twentieth.
        self.env.cr.execute(
            "ALTER TABLE construction_sync_event SET (autovacuum_vacuum_scale_factor = %s,"
            " autovacuum_vacuum_insert_scale_factor = %s, autovacuum_analyze_scale_factor = %s)"
            % (AUTOVACUUM_SCALE, AUTOVACUUM_SCALE, AUTOVACUUM_SCALE)
        )

    @api.depends("payload")
    def _compute_payload_pretty(self):
        for event in self:
            try:
                event.payload_pretty = json.dumps(
                    json.loads(event.payload), indent=2, ensure_ascii=False, sort_keys=True,
                )
            except (TypeError, ValueError):
                event.payload_pretty = event.payload

    @api.depends("state", "event_type")
    @api.depends_context("uid")
    def _compute_can_decide(self):
        deciders = {}
        for event in self:
            if event.event_type not in deciders:
                deciders[event.event_type] = self._may_decide(event.event_type)
            event.can_decide = event.state == "awaiting_approval" and deciders[event.event_type]

    @api.depends("event_type", "webhook_id")
    def _compute_display_name(self):
        for event in self:
            event.display_name = "%s · %s" % (event.event_type, event.webhook_id)

    # ------------------------------------------------------------------------------------------
    # state changes: every one goes through _transition, which writes the audit trail
    # ------------------------------------------------------------------------------------------

    def _transition(self, to_state, action, message=None, **values):
        """Moves the events to `to_state` with `values`, one audit row per event."""
        if not self:
            return
        self.env["construction.sync.audit"]._log(self, action, to_state, message)
        self.env["construction.sync.event.hourly.dirty"]._mark(self)
        values["state"] = to_state
        self.sudo().write(values)

    def _notify_changed(self):
        """Tells the open cockpits of these events' companies that the events changed state,
        through Odoo's bus. Calls until the next pre-commit run (the commit, or a savepoint) make
        one message per company; the bus writes its rows then and sends one NOTIFY after the commit.
        The channel is (company, BUS_SUBCHANNEL), to which Odoo subscribes the browser of every
        integration user of that company by itself (models/ir_websocket.py), so no user hears of
        another company's systems and no channel needs adding on the client. The message only
        names the company's systems: the cockpit reads the figures with the person's own rights."""
        systems_by_company = {}
        for event in self.sudo():
            systems_by_company.setdefault(event.company_id.id, set()).add(event.system_id.id)
        key = "construction_sync.changed_systems"
        pending = self.env.cr.precommit.data.get(key)
        if pending is not None:
            # Already announced in this transaction: the messages are built at commit time.
            for company_id, system_ids in systems_by_company.items():
                pending.setdefault(company_id, set()).update(system_ids)
            return
        pending = self.env.cr.precommit.data[key] = systems_by_company

        @self.env.cr.precommit.add
        def _send():
            changed = self.env.cr.precommit.data.pop(key, pending)
            bus = self.env["bus.bus"].sudo()
            for company in self.env["res.company"].sudo().browse(sorted(changed)):
                bus._sendone((company, BUS_SUBCHANNEL), "construction_sync/changed",
                             {"system_ids": sorted(changed[company.id])})

    def _check_manager(self):
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise UserError(_("Only integration managers can do this."))

    @api.model
    def _approval_group(self, event_type):
        """The xmlid of the group whose members accept or reject events of this type: the one
        the type's handler names, integration managers' when it names none."""
        handler = self.env["construction.sync.handler"]._get(event_type)
        return (handler and handler.approval_group) or "construction_sync.group_manager"

    @api.model
    def _may_decide(self, event_type):
        """Whether the current user may accept or reject events of this type (see _check_approver)."""
        user = self.env.user
        return user.has_group("construction_sync.group_user") and user.has_group(self._approval_group(event_type))

    def _check_approver(self):
        """Accepting or rejecting an approval item is the business decision its event applies
        (approving a change order, certifying a pay application): it takes the right the event's
        handler names, an integration manager's when it names none."""
        self._check_user()
        for event_type in set(self.mapped("event_type")):
            if not self._may_decide(event_type):
                group_xmlid = self._approval_group(event_type)
                group = self.env.ref(group_xmlid, raise_if_not_found=False)
                raise UserError(_("Only users with the right %(group)s can accept or reject %(type)s events.",
                                  group=group.full_name if group else group_xmlid, type=event_type))

    def _check_user(self):
        if not self.env.user.has_group("construction_sync.group_user"):
            raise UserError(_("Only integration users can do this."))

    def _check_readable(self):
        """Refuses the whole action, before anything is written, when the current user may not
        read one of these events (another company's: the ids come from the browser). The actions
        then write with sudo: integration users only read events through the ORM."""
        readable(self, self.ids)

    def _refuse_unless(self, states, verb):
        wrong = self.filtered(lambda e: e.state not in states)
        if wrong:
            raise UserError(_(
                "Cannot %(verb)s %(events)s: only events in state %(states)s can be.",
                verb=verb,
                events=", ".join(wrong[:5].mapped("display_name")) + ("…" if len(wrong) > 5 else ""),
                states=", ".join(dict(STATES)[s] for s in states),
            ))

    # ------------------------------------------------------------------------------------------
    # actions for people (bulk-capable; used by the list/form views and by the cockpit)
    # ------------------------------------------------------------------------------------------

    def action_retry(self):
        self._check_user()
        self._check_readable()
        self._refuse_unless(RETRYABLE, _("retry"))
        self._transition(
            "pending", "retry", _("Retried by %s", self.env.user.name),
            attempts=0, next_attempt_at=fields.Datetime.now(), error_class=False,
            error_message=False, waiting_for=False,
        )
        self._apply_soon()
        return True

    def _apply_soon(self):
        """A handful of events is applied right away, in this request, so the person sees the
        outcome; a bulk retry or replay goes to the runners and never blocks the page."""
        if len(self) <= INLINE_LIMIT:
            self.env["construction.sync.processor"]._process_now(self)
        else:
            self.env["construction.sync.runner"]._wake(self)

    def action_assign(self, user_id):
        self._check_user()
        self._check_readable()
        user = self.env["res.users"].browse(user_id).exists() if user_id else self.env["res.users"]
        message = _("Assigned to %s", user.name) if user else _("Unassigned")
        self.env["construction.sync.audit"]._log(self, "assign", None, message)
        self.sudo().write({"user_id": user.id})
        return True

    def action_add_note(self, note):
        self._check_user()
        self._check_readable()
        if not (note or "").strip():
            raise UserError(_("A note cannot be empty."))
        self.env["construction.sync.audit"]._log(self, "note", None, note.strip())
        return True

    def action_ignore(self, reason):
        self._check_manager()
        self._check_readable()
        if not (reason or "").strip():
            raise UserError(_("Say why the event is ignored: the reason stays in its audit trail."))
        self._refuse_unless(IGNORABLE, _("ignore"))
        self._transition("ignored", "ignore", reason.strip(), next_attempt_at=False, waiting_for=False)
        return True

    def action_accept(self):
        """Accepts approval items: they are applied now, in this request, so the accountant sees
        the outcome (done, or the error) immediately."""
        self._check_user()
        self._check_readable()
        self._check_approver()
        self._refuse_unless(("awaiting_approval",), _("accept"))
        self.env["construction.sync.audit"]._log(self, "accept", None, _("Accepted by %s", self.env.user.name))
        self.sudo().write({"approved": True})
        self.env["construction.sync.processor"]._process_now(self)
        return True

    def action_reject(self, reason):
        self._check_user()
        self._check_readable()
        self._check_approver()
        if not (reason or "").strip():
            raise UserError(_("A rejection needs a reason for the sending system's team."))
        self._refuse_unless(("awaiting_approval",), _("reject"))
        self._transition("ignored", "reject", _("Rejected: %s", reason.strip()), next_attempt_at=False)
        # Tells the sending system why, through its outbound subscriptions (issue #15).
        self.env["construction.sync.outbox"]._publish(
            "inbound_event.rejected", self.with_context(construction_sync_reject_reason=reason.strip()))
        return True

    def action_replay(self, reason=None):
        """Sends events back to the queue whatever their state (except ones queued or running).
        Handlers apply idempotently, and the ordering watermark turns anything older than what
        was applied since into `stale`, so a replay never applies an event twice over newer data."""
        self._check_manager()
        self._check_readable()
        self._refuse_unless(("done", "failed", "dead", "stale", "ignored"), _("replay"))
        self._transition(
            "pending", "replay", reason or _("Replayed by %s", self.env.user.name),
            attempts=0, next_attempt_at=fields.Datetime.now(), error_class=False,
            error_message=False, waiting_for=False, approved=False, watermark_override=False,
        )
        self._apply_soon()
        return True

    def action_apply_anyway(self, reason):
        """Applies stale events although they are older than their object's watermark: once, in
        this request for a handful (the runners take more). Integration managers only, with a
        reason kept in the audit trail. The watermark never moves backwards: it stays the newer
        event's (construction.sync.processor._advance_watermarks), so the object's next genuine
        update still applies and older ones still go stale. An event type that needs approval
        still waits for it; the acceptance then applies the event anyway too."""
        self._check_manager()
        self._check_readable()
        if not (reason or "").strip():
            raise UserError(_("Say why the event is applied anyway: the reason stays in its audit trail."))
        self._refuse_unless(("stale",), _("apply anyway"))
        self._transition(
            "pending", "apply_anyway", _("Applied anyway by %(user)s: %(reason)s",
                                         user=self.env.user.name, reason=reason.strip()),
            attempts=0, next_attempt_at=fields.Datetime.now(), error_class=False, error_message=False,
            waiting_for=False, approved=False, watermark_override=True,
        )
        self._apply_soon()
        return True

    def action_reset_watermark(self, reason):
        """Resets the watermark of these events' objects (construction.sync.mapping.
        action_reset_watermark), e.g. from a stale event the cockpit shows."""
        self._check_manager()
        self._check_readable()
        Mapping = self.env["construction.sync.mapping"]
        mappings = Mapping.browse()
        for event in self:
            model, _sep, external_id = (event.object_key or "").partition(":")
            mapping = Mapping._find(event.system_id, model, external_id) if external_id else Mapping.browse()
            if not mapping:
                raise UserError(_("%s has no mapping: its object has no watermark to reset.", event.display_name))
            mappings |= mapping
        # Back to the person's rights: the mapping method checks them again.
        return Mapping.browse(mappings.ids).action_reset_watermark(reason)

    def action_open_record(self):
        self.ensure_one()
        self._check_readable()
        if not self.record_ref:
            raise UserError(_("This event has not produced a record."))
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def write(self, vals):
        # Payload and identity are the evidence of what was received: nobody rewrites them.
        frozen = {"payload", "payload_hash", "webhook_id", "system_id", "event_type", "source_timestamp"}
        if frozen & set(vals):
            raise UserError(_("The received payload and identity of an event cannot be changed."))
        return super().write(vals)

    def unlink(self):
        if not self.env.context.get("construction_sync_purge"):
            raise UserError(_(
                "Events are never deleted by hand; done events are purged after the system's retention period."
            ))
        return super().unlink()
