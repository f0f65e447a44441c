import json
import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..sync import secret_store, signature

_logger = logging.getLogger(__name__)

ALL_TYPES = "*"


def _split_types(event_types):
    return [part.strip() for part in (event_types or "").split(",") if part.strip()]


class ConstructionSyncSubscription(models.Model):
    """Where an external system wants Odoo's outbound events: an endpoint URL, the event types,
    and its own Standard Webhooks signing secret (rotated with a grace, as inbound)."""

    _name = "construction.sync.subscription"
    _description = "Outbound Subscription"
    _inherit = ["construction.sync.secret.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "system_id, name, id"

    # identity
    name = fields.Char(required=True, tracking=True)
    system_id = fields.Many2one("construction.sync.system", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="system_id.company_id", store=True, index=True)
    active = fields.Boolean(default=True, tracking=True)
    endpoint_url = fields.Char(required=True, tracking=True)
    event_types = fields.Char(
        required=True, default=ALL_TYPES, tracking=True,
        help="Comma-separated outbound event types this endpoint receives (e.g. change_order.approved, "
             "invoice.posted), or * for all of them.",
    )
    custom_headers = fields.Text(
        help='Extra HTTP headers sent with every message, as a JSON object: {"X-Tenant": "north"}.')

    # signing (see construction.sync.system for the column scheme)
    secret = fields.Char(
        groups="construction_sync.group_manager", readonly=True, exportable=False,
        compute="_compute_secrets", inverse="_inverse_secret",
        help="Signing secret of the messages (Standard Webhooks, whsec_...). Rotate Secret replaces it.")
    previous_secret = fields.Char(
        groups="construction_sync.group_manager", readonly=True, exportable=False,
        compute="_compute_secrets", inverse="_inverse_previous_secret")
    previous_secret_valid_until = fields.Datetime(copy=False, readonly=True)
    rotation_grace_hours = fields.Integer(
        default=24, help="After a rotation, messages carry a signature with each secret for this long.")

    # delivery
    timeout_seconds = fields.Integer(default=15, help="A message counts as delivered on a 2xx answer within this time.")
    max_in_flight = fields.Integer(
        string="Concurrent deliveries", default=4,
        help="At most this many messages are being sent to this endpoint at any moment.")
    disable_after_hours = fields.Integer(
        default=120, help="An endpoint that has failed every delivery for this long is disabled and the "
                          "integration managers notified (Svix: 5 days).")
    failing_since = fields.Datetime(readonly=True, copy=False,
                                    help="First failure since the last successful delivery.")
    disabled_at = fields.Datetime(readonly=True, copy=False)
    disabled_reason = fields.Char(readonly=True, copy=False)

    outbox_ids = fields.One2many("construction.sync.outbox", "subscription_id", string="Outbound Messages")
    queued_count = fields.Integer(compute="_compute_counts")
    dead_count = fields.Integer(compute="_compute_counts")

    _sql_constraints = [
        ("timeout_range", "CHECK(timeout_seconds BETWEEN 1 AND 120)",
         "The timeout must lie between 1 and 120 seconds."),
        ("in_flight_positive", "CHECK(max_in_flight > 0)", "At least one delivery must be allowed at a time."),
        ("disable_after_positive", "CHECK(disable_after_hours > 0)", "The failure period must be positive."),
        ("grace_positive", "CHECK(rotation_grace_hours >= 0)", "The grace period cannot be negative."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("secret"):
                vals["secret"] = signature.generate_secret()
        return super().create(vals_list)

    # ------------------------------------------------------------------------------------------
    # checks
    # ------------------------------------------------------------------------------------------

    @api.constrains("endpoint_url")
    def _check_endpoint_url(self):
        for subscription in self:
            if not (subscription.endpoint_url or "").startswith(("https://", "http://")):
                raise ValidationError(_("The endpoint URL of %s must start with https:// or http://.",
                                        subscription.name))

    @api.constrains("event_types")
    def _check_event_types(self):
        known = set(self.env["construction.sync.publisher"]._event_types())
        for subscription in self:
            unknown = sorted(set(subscription._types()) - known - {ALL_TYPES})
            if unknown:
                raise ValidationError(_("Unknown outbound event types: %(types)s. Known: %(known)s.",
                                        types=", ".join(unknown), known=", ".join(sorted(known))))

    @api.constrains("custom_headers")
    def _check_custom_headers(self):
        for subscription in self:
            subscription._headers()

    @api.constrains("secret")
    def _check_secret(self):
        for subscription in self.sudo():
            try:
                signature.secret_key(subscription.secret)
            except ValueError:
                raise ValidationError(_(
                    "The signing secret of %s must be whsec_ followed by 24 to 64 bytes in base64.",
                    subscription.name)) from None

    def _types(self):
        self.ensure_one()
        return _split_types(self.event_types)

    @api.model
    def _routes(self, company_id):
        """[(subscription id, system id, event types)] of the company's active subscriptions: what
        every publish asks in the business transaction, in one query."""
        self.flush_model(["company_id", "active", "system_id", "event_types"])
        self.env.cr.execute(
            "SELECT id, system_id, event_types FROM construction_sync_subscription"
            " WHERE company_id = %s AND active ORDER BY id", (company_id,))
        return [(subscription_id, system_id, _split_types(types))
                for subscription_id, system_id, types in self.env.cr.fetchall()]

    def _headers(self):
        """The custom headers as a dict of strings; a clear error for anything else."""
        self.ensure_one()
        if not self.custom_headers:
            return {}
        try:
            headers = json.loads(self.custom_headers)
        except ValueError:
            headers = None
        if not isinstance(headers, dict) or not all(isinstance(v, str) for v in headers.values()):
            raise ValidationError(_('The custom headers of %s must be a JSON object of strings, e.g. '
                                    '{"X-Tenant": "north"}.', self.name))
        reserved = {"webhook-id", "webhook-timestamp", "webhook-signature", "content-type", "content-length"}
        clashing = sorted(name for name in headers if name.lower() in reserved)
        if clashing:
            raise ValidationError(_("The custom headers of %(name)s may not set %(headers)s.",
                                    name=self.name, headers=", ".join(clashing)))
        return headers

    # ------------------------------------------------------------------------------------------
    # signing secrets (same storage and rotation as construction.sync.system)
    # ------------------------------------------------------------------------------------------

    def _signing_secrets(self, now=None):
        """The secrets a message is signed with now: the current one, and the previous one during
        its grace after a rotation (receivers that have not switched yet still verify)."""
        self.ensure_one()
        stored = self._stored_secrets()[self.id]
        now = now or fields.Datetime.now()
        keys = secret_store.configured_keys()
        secrets = [secret_store.unseal(stored.secret, keys)[0]]
        if stored.previous_secret and stored.previous_secret_valid_until and stored.previous_secret_valid_until > now:
            secrets.append(secret_store.unseal(stored.previous_secret, keys)[0])
        return [secret for secret in secrets if secret]

    def _check_manager(self):
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise UserError(_("Only integration managers can do this on outbound subscriptions."))

    def action_rotate_secret(self):
        self._check_manager()
        keys = secret_store.configured_keys()
        stored = self.sudo()._stored_secrets()
        for subscription in self.sudo():
            grace_until = fields.Datetime.now() + timedelta(hours=subscription.rotation_grace_hours)
            subscription._rotate_stored_secret(stored[subscription.id], keys)
            subscription.write({"previous_secret_valid_until": grace_until})
            subscription.message_post(body=_(
                "Signing secret rotated by %(user)s; messages carry a signature with the previous secret too "
                "until %(until)s UTC.", user=self.env.user.name, until=grace_until))
        return True

    # ------------------------------------------------------------------------------------------
    # enabling, disabling, testing
    # ------------------------------------------------------------------------------------------

    def _disable(self, reason):
        """Stops deliveries to these endpoints (their queued messages wait, nothing is dropped) and
        tells the integration managers, by a chatter message and a to-do each."""
        managers = self.env.ref("construction_sync.group_manager").sudo().users
        for subscription in self.sudo():
            if not subscription.active:
                continue
            subscription.write({"active": False, "disabled_at": fields.Datetime.now(), "disabled_reason": reason})
            note = _("Outbound deliveries to %(url)s were disabled: %(reason)s. Queued messages are kept; "
                     "re-enable the subscription once the endpoint works again.",
                     url=subscription.endpoint_url, reason=reason)
            subscription.message_post(body=note)
            for user in managers.filtered(lambda u, c=subscription.company_id: c in u.company_ids):
                subscription.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=user.id,
                    summary=_("Outbound subscription %s disabled", subscription.name), note=note)

    def action_enable(self):
        self._check_manager()
        self.sudo().with_context(active_test=False).write(
            {"active": True, "disabled_at": False, "disabled_reason": False, "failing_since": False})
        # Messages held while it was disabled go at once.
        self.env["construction.sync.outbox"]._wake()
        return True

    def action_send_test_event(self):
        """Queues a `subscription.test` message to this endpoint only, delivered after commit like
        any other; its delivery log shows the endpoint's answer."""
        self._check_manager()
        self.ensure_one()
        message = self.env["construction.sync.outbox"].sudo()._enqueue(
            self, "subscription.test",
            {"subscription": self.name, "sent_by": self.env.user.name, "note": "A test event from Odoo."},
            object_key="subscription:%s:test" % self.id, res_model=self._name, res_id=self.id)
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"type": "info", "sticky": False,
                       "message": _("Test event %s queued; its delivery log shows the endpoint's answer.",
                                    message.webhook_id),
                       "next": {"type": "ir.actions.act_window_close"}},
        }

    def action_view_messages(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("construction_sync.construction_sync_outbox_action")
        action["domain"] = [("subscription_id", "=", self.id)]
        return action

    def _compute_counts(self):
        groups = self.env["construction.sync.outbox"]._read_group(
            [("subscription_id", "in", self.ids)], ["subscription_id", "state"], ["__count"])
        queued, dead = {}, {}
        for subscription, state, count in groups:
            if state == "pending":
                queued[subscription.id] = queued.get(subscription.id, 0) + count
            elif state == "dead":
                dead[subscription.id] = count
        for subscription in self:
            subscription.queued_count = queued.get(subscription.id, 0)
            subscription.dead_count = dead.get(subscription.id, 0)

    # ------------------------------------------------------------------------------------------
    # cockpit
    # ------------------------------------------------------------------------------------------

    @api.model
    def get_outbound_health(self, system_id=None):
        """Outbound health per subscription for the cockpit, beside the inbound cards: one dict
        per subscription the user may read (inactive ones too):
        {id, name, system_id, endpoint_url, active, disabled_at, disabled_reason, queue_depth,
        oldest_queued_seconds, failing (messages retrying), dead, failures_24h, delivered_24h,
        failing_since}."""
        self.env["construction.sync.outbox"]._check_user()
        domain = [("system_id", "=", system_id)] if system_id else []
        subscriptions = self.with_context(active_test=False).search(domain)
        if not subscriptions:
            return []
        self.env["construction.sync.outbox"].flush_model()
        self.env["construction.sync.outbox.attempt"].flush_model()
        self.env.cr.execute(
            """
            SELECT s.id,
                   (SELECT count(*) FROM construction_sync_outbox m
                     WHERE m.subscription_id = s.id AND m.state = 'pending') AS queued,
                   (SELECT min(m.created_at) FROM construction_sync_outbox m
                     WHERE m.subscription_id = s.id AND m.state = 'pending') AS oldest,
                   (SELECT count(*) FROM construction_sync_outbox m
                     WHERE m.subscription_id = s.id AND m.state = 'pending' AND m.attempts > 0)
                       AS failing,
                   (SELECT count(*) FROM construction_sync_outbox m
                     WHERE m.subscription_id = s.id AND m.state = 'dead') AS dead,
                   (SELECT count(*) FROM construction_sync_outbox_attempt a
                     WHERE a.subscription_id = s.id AND NOT a.success
                       AND a.at > (now() at time zone 'utc') - interval '24 hours') AS failures,
                   (SELECT count(*) FROM construction_sync_outbox_attempt a
                     WHERE a.subscription_id = s.id AND a.success
                       AND a.at > (now() at time zone 'utc') - interval '24 hours') AS delivered
              FROM unnest(%s) AS s(id)
            """,
            (subscriptions.ids,),
        )
        stats = {row["id"]: row for row in self.env.cr.dictfetchall()}
        now = fields.Datetime.now()
        result = []
        for subscription in subscriptions:
            figures = stats[subscription.id]
            oldest = figures["oldest"]
            result.append({
                "id": subscription.id,
                "name": subscription.name,
                "system_id": subscription.system_id.id,
                "endpoint_url": subscription.endpoint_url,
                "active": subscription.active,
                "disabled_at": (fields.Datetime.to_string(subscription.disabled_at)
                                if subscription.disabled_at else None),
                "disabled_reason": subscription.disabled_reason or None,
                "failing_since": (fields.Datetime.to_string(subscription.failing_since)
                                  if subscription.failing_since else None),
                "queue_depth": figures["queued"],
                "oldest_queued_seconds": int((now - oldest).total_seconds()) if oldest else None,
                "failing": figures["failing"],
                "dead": figures["dead"],
                "failures_24h": figures["failures"],
                "delivered_24h": figures["delivered"],
            })
        return result
