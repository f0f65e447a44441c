import json
import logging
import re
import time
import uuid
from datetime import timedelta
from types import MappingProxyType

from psycopg2 import errors as pg_errors

from odoo import _, api, fields, models
from odoo.tools import file_open, ormcache
from odoo.exceptions import UserError, ValidationError

from ..sync import delivery, envelope, secret_store, signature
from .construction_sync_secret_mixin import SECRET_FIELDS

_logger = logging.getLogger(__name__)

CODE_PATTERN = r"[a-z0-9][a-z0-9_-]{0,62}"
# The fields of a system the intake reads on every delivery (see _intake_rows).
INTAKE_FIELDS = ("company_id", "max_body_bytes", "rate_limit_per_minute", "previous_secret_valid_until",
                 "future_tolerance_seconds")
# Columns of construction_sync_system that hold signing secrets as stored (sync.secret_store), and
# the fields of the same names that show them decrypted to integration managers.


class ConstructionSyncSystem(models.Model):
    _name = "construction.sync.system"
    _description = "External System"
    _inherit = ["construction.sync.secret.mixin", "construction.sync.intake.cached.mixin", "mail.thread"]
    _order = "name, id"

    # identity
    name = fields.Char(required=True, tracking=True)
    code = fields.Char(
        required=True,
        tracking=True,
        help="Lowercase identifier used in the webhook URL, unique per company.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    endpoint_url = fields.Char(compute="_compute_endpoint_url")
    batch_endpoint_url = fields.Char(compute="_compute_endpoint_url")

    # signing: readable by managers only, never shown to integration users, never exported.
    # The columns `secret` and `previous_secret` are not the ORM's: they hold the values as stored
    # (encrypted when the server configures construction_sync_secret_key, see sync.secret_store),
    # are created by init() and written with SQL, as res.users does with passwords. These fields
    # of the same names are computed: decrypted for a manager's form or read, encrypted on write.
    secret = fields.Char(
        groups="construction_sync.group_manager", readonly=True, exportable=False,
        compute="_compute_secrets", inverse="_inverse_secret",
        help="Signing secret of the deliveries (Standard Webhooks, whsec_...). A new system gets one; "
             "Rotate Secret replaces it.",
    )
    previous_secret = fields.Char(
        groups="construction_sync.group_manager", readonly=True, exportable=False,
        compute="_compute_secrets", inverse="_inverse_previous_secret",
    )
    previous_secret_valid_until = fields.Datetime(copy=False, readonly=True)
    rotation_grace_hours = fields.Integer(
        default=24, help="How long the previous secret stays valid after a rotation. It is erased once that "
                         "time has passed (at the next delivery, or by the daily housekeeping)."
    )

    # intake limits and housekeeping
    max_body_bytes = fields.Integer(
        string="Max body size (bytes)", default=1024 * 1024,
        help="Checked once the signature is verified. Before that, every system shares the server-wide "
             "limit of system parameter construction_sync.unauthenticated_max_body_bytes (default 10 MiB), "
             "which also caps this one.",
    )
    rate_limit_per_minute = fields.Integer(
        default=600, help="Authenticated deliveries accepted per rolling minute; 0 = no limit. Requests that "
                          "fail before authentication are limited per source address instead (system "
                          "parameter construction_sync.unauthenticated_per_minute)."
    )
    done_retention_days = fields.Integer(
        default=30, help="Done events older than this are purged. Failed and dead events never are."
    )
    error_rate_threshold = fields.Float(
        default=5.0, help="Percentage of failures over 24 h above which the cockpit flags the system."
    )
    queue_age_threshold_minutes = fields.Integer(
        default=30, help="Age of the oldest pending event above which the cockpit flags the system."
    )
    future_tolerance_seconds = fields.Integer(
        string="Future tolerance (seconds)", default=envelope.DEFAULT_FUTURE_TOLERANCE,
        help="How far past its delivery's webhook-timestamp an event may be dated. An event dated "
             "later is refused (422 invalid_timestamp): it would otherwise become the last applied "
             "event of its object and make every genuine update until that date stale.",
    )

    setting_ids = fields.One2many("construction.sync.event.setting", "system_id", string="Event types")
    event_count = fields.Integer(compute="_compute_event_counts")
    failed_count = fields.Integer(compute="_compute_event_counts")

    _sql_constraints = [
        ("code_company_uniq", "unique(company_id, code)",
         "The code is already used by another system of this company."),
        ("max_body_positive", "CHECK(max_body_bytes > 0)", "The max body size must be positive."),
        ("rate_limit_positive", "CHECK(rate_limit_per_minute >= 0)", "The rate limit cannot be negative."),
        ("grace_positive", "CHECK(rotation_grace_hours >= 0)", "The grace period cannot be negative."),
        ("future_tolerance_range", "CHECK(future_tolerance_seconds BETWEEN 0 AND 86400)",
         "The future tolerance must lie between 0 and 86400 seconds (one day)."),
    ]

    @api.constrains("code")
    def _check_code(self):
        for system in self:
            if not re.fullmatch(CODE_PATTERN, system.code or ""):
                raise ValidationError(_(
                    "The code %(code)s must be lowercase letters, digits, dashes or underscores "
                    "(it appears in the webhook URL).", code=system.code,
                ))

    @api.depends("code")
    def _compute_endpoint_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for system in self:
            url = "%s/construction_sync/webhook/%s" % (base, system.code or "")
            system.endpoint_url = url
            system.batch_endpoint_url = url + "/batch"

    def _compute_event_counts(self):
        groups = self.env["construction.sync.event"]._read_group(
            [("system_id", "in", self.ids)], ["system_id", "state"], ["__count"]
        )
        totals, failures = {}, {}
        for system, state, count in groups:
            totals[system.id] = totals.get(system.id, 0) + count
            if state in ("failed", "dead"):
                failures[system.id] = failures.get(system.id, 0) + count
        for system in self:
            system.event_count = totals.get(system.id, 0)
            system.failed_count = failures.get(system.id, 0)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("secret"):
                vals["secret"] = signature.generate_secret()
        systems = super().create(vals_list)
        systems._ensure_settings()
        return systems

    def _write_stored_secrets(self, record_id, values):
        super()._write_stored_secrets(record_id, values)
        self.env.registry.clear_cache()

    @api.model
    @ormcache("code")
    def _intake_rows(self, code):
        """What the intake needs of the active systems with this code: ((id, INTAKE_FIELDS values
        as the ORM caches them, (secret, previous_secret, previous_secret_valid_until) as stored,
        _settings_by_type read-only), ...). Cached in the registry between deliveries: the query
        and the settings were a fifth of a delivery's time. Every change to a system, its secrets
        or its event type settings clears the cache (construction.sync.intake.cached.mixin,
        _write_stored_secrets), in every worker (Odoo's cache signaling) and on rollback."""
        self.flush_model(list(INTAKE_FIELDS) + ["code", "active"])
        self.env["construction.sync.event.setting"].flush_model()
        self.env.cr.execute(
            """
            SELECT id, company_id, max_body_bytes, rate_limit_per_minute, secret, previous_secret,
                   previous_secret_valid_until, future_tolerance_seconds,
                   (SELECT json_agg(json_build_array(st.event_type, st.enabled, st.processing_mode,
                                                     st.requires_approval, st.max_attempts))
                      FROM construction_sync_event_setting st WHERE st.system_id = s.id) AS settings
              FROM construction_sync_system s
             WHERE code = %s AND active
             ORDER BY id
            """,
            (code,),
        )
        rows = []
        for row in self.env.cr.dictfetchall():
            record = self.browse(row["id"])
            values = tuple(self._fields[name].convert_to_cache(row[name], record) for name in INTAKE_FIELDS)
            stored = (row["secret"], row["previous_secret"], row["previous_secret_valid_until"])
            # Shared by every delivery until the cache is cleared: read-only.
            settings = MappingProxyType({
                event_type: MappingProxyType(values)
                for event_type, values in record._settings_by_type(row["settings"] or ()).items()
            })
            rows.append((row["id"], values, stored, settings))
        return tuple(rows)

    # ------------------------------------------------------------------------------------------
    # signing secrets
    # ------------------------------------------------------------------------------------------

    @api.constrains("secret")
    def _check_secret(self):
        for system in self.sudo():
            try:
                signature.secret_key(system.secret)
            except ValueError:
                # The message never quotes the value.
                raise ValidationError(_(
                    "The signing secret of %(system)s must be whsec_ followed by 24 to 64 bytes in base64.",
                    system=system.name,
                )) from None

    def _ensure_settings(self):
        """One settings line per registered event type, with the handler's defaults."""
        Setting = self.env["construction.sync.event.setting"].sudo()
        for system in self:
            known = set(system.setting_ids.mapped("event_type"))
            Setting.create([
                {
                    "system_id": system.id,
                    "event_type": event_type,
                    "processing_mode": handler.default_mode,
                    "requires_approval": handler.default_requires_approval,
                    "max_attempts": handler.default_max_attempts,
                }
                for event_type, handler in self.env["construction.sync.handler"]._handlers().items()
                if event_type not in known
            ])

    def _valid_secrets(self, stored=None, now=None, keys=None):
        """Secrets a delivery may be signed with now, decrypted: the current one, and the previous
        one during its grace period after a rotation. `stored` is the system's StoredSecrets when
        the caller read them already (the intake does). Raises secret_store.SecretUnreadable."""
        self.ensure_one()
        stored = stored or self._stored_secrets()[self.id]
        now = now or fields.Datetime.now()
        keys = secret_store.configured_keys() if keys is None else keys
        valid = [secret_store.unseal(stored.secret, keys)[0]]
        if stored.previous_secret and stored.previous_secret_valid_until and stored.previous_secret_valid_until > now:
            valid.append(secret_store.unseal(stored.previous_secret, keys)[0])
        return [secret for secret in valid if secret]

    def _secret_updates(self, stored, now, keys, reencrypt=False):
        """{column: new stored value} that bring a system's stored secrets to what verification
        needs: the previous secret erased once its grace has passed, plain values encrypted when
        the server has a key, and with `reencrypt` values encrypted under an older key encrypted
        again under the first (that needs a decryption, so only the daily housekeeping does it)."""
        updates = {}
        if stored.previous_secret and not (stored.previous_secret_valid_until
                                           and stored.previous_secret_valid_until > now):
            updates.update(previous_secret=None, previous_secret_valid_until=None)
        if not keys:
            return updates
        for name in SECRET_FIELDS:
            value = getattr(stored, name)
            if not value or name in updates:
                continue
            if not secret_store.is_sealed(value):
                updates[name] = secret_store.seal(value, keys)
            elif reencrypt:
                try:
                    plain, current = secret_store.unseal(value, keys)
                except secret_store.SecretUnreadable:
                    _logger.warning("construction_sync: the %s of external system id %s cannot be decrypted with "
                                    "the configured %s", name, self.id, secret_store.CONFIG_KEY)
                    continue
                if not current:
                    updates[name] = secret_store.seal(plain, keys)
        return updates

    def _tidy_secrets(self, stored):
        """After a delivery authenticated with `stored` (the StoredSecrets it was verified with):
        erases an expired previous secret, encrypts plain ones when the server has a key. Costs
        nothing when there is nothing to do, which is every delivery but the first after a
        rotation's grace or after the key was configured. Never waits: when another transaction
        holds the row (a concurrent delivery doing the same), this one leaves it to it."""
        self.ensure_one()
        updates = self._secret_updates(stored, fields.Datetime.now(), secret_store.configured_keys())
        if not updates:
            return False
        try:
            with self.env.cr.savepoint(flush=False):
                # FOR NO KEY UPDATE does not wait for the FOR KEY SHARE locks that concurrent
                # deliveries' event rows hold on the system through their foreign key.
                self.env.cr.execute("SELECT id FROM construction_sync_system WHERE id = %s FOR NO KEY UPDATE NOWAIT",
                                    (self.id,), log_exceptions=False)
                self._write_stored_secrets(self.id, updates)
        except (pg_errors.LockNotAvailable, pg_errors.SerializationFailure):
            return False
        self.invalidate_recordset(list(SECRET_FIELDS) + ["previous_secret_valid_until"])
        return True

    @api.model
    def _cron_secret_housekeeping(self):
        """Daily: erases previous secrets whose grace has passed and encrypts secrets stored plain
        (or under an older key) when the server has a key, for the systems that received no
        delivery to do it."""
        keys = secret_store.configured_keys()
        now = fields.Datetime.now()
        systems = self.sudo().with_context(active_test=False).search([])
        cleared = encrypted = 0
        for system_id, stored in systems._stored_secrets().items():
            updates = systems.browse(system_id)._secret_updates(stored, now, keys, reencrypt=True)
            if not updates:
                continue
            try:
                with self.env.cr.savepoint(flush=False):
                    self._write_stored_secrets(system_id, updates)
            except pg_errors.SerializationFailure:
                continue  # a delivery tidied this system meanwhile
            cleared += "previous_secret_valid_until" in updates
            encrypted += sum(1 for name in SECRET_FIELDS if updates.get(name))
        systems.invalidate_recordset(list(SECRET_FIELDS) + ["previous_secret_valid_until"])
        if cleared or encrypted:
            _logger.info("construction_sync: %d expired previous secret(s) erased, %d secret(s) encrypted",
                         cleared, encrypted)
        return True

    def action_rotate_secret(self):
        if not self.env.user.has_group("construction_sync.group_manager"):
            raise UserError(_("Only integration managers can rotate signing secrets."))
        keys = secret_store.configured_keys()
        stored = self.sudo()._stored_secrets()
        for system in self.sudo():
            grace_until = fields.Datetime.now() + timedelta(hours=system.rotation_grace_hours)
            system._rotate_stored_secret(stored[system.id], keys)
            system.write({"previous_secret_valid_until": grace_until})
            # Says who and until when; neither secret is ever written to the chatter or a log.
            system.message_post(body=_(
                "Signing secret rotated by %(user)s; the previous secret stays valid until %(until)s UTC.",
                user=self.env.user.name, until=grace_until,
            ))
        return True

    def action_view_events(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("construction_sync.construction_sync_event_action")
        action["domain"] = [("system_id", "=", self.id)]
        action["context"] = {"search_default_group_by_state": 1}
        return action

    def _settings_by_type(self, rows=None):
        """{event_type: settings} for this system, falling back to handler defaults for types
        registered after the system was created. `rows` are the settings rows when the caller
        read them already (the intake does, with the system)."""
        self.ensure_one()
        if rows is None:
            self.env["construction.sync.event.setting"].flush_model()
            self.env.cr.execute(
                """
                SELECT event_type, enabled, processing_mode, requires_approval, max_attempts
                  FROM construction_sync_event_setting WHERE system_id = %s
                """,
                (self.id,),
            )
            rows = self.env.cr.fetchall()
        settings = {
            event_type: {"enabled": enabled, "processing_mode": mode,
                         "requires_approval": requires_approval, "max_attempts": max_attempts}
            for event_type, enabled, mode, requires_approval, max_attempts in rows
        }
        for event_type, handler in self.env["construction.sync.handler"]._handlers().items():
            settings.setdefault(event_type, {
                "enabled": True,
                "processing_mode": handler.default_mode,
                "requires_approval": handler.default_requires_approval,
                "max_attempts": handler.default_max_attempts,
            })
        return settings

    # ------------------------------------------------------------------------------------------
    # demo data
    # ------------------------------------------------------------------------------------------

    @api.model
    def _demo_load(self, system_id, path):
        """Plays a demo script (a JSON data file of an addon) against a system: deliveries go
        through the real intake, signed with the system's secret, and the realtime runner applies
        them; the other steps are what people did with the results. Steps run in order:
          {"deliver": [envelope, ...]}                     deliver one by one, then drain
          {"setting": {"event_type": t, "values": {...}}}  change the system's settings of a type
          {"accept": [event type, ...]}                    accept the approval items of those types
          {"call": {"model", "external_id", "method", "if": {field: value}}}  on a mapped record
          {"upsert": {"model", "keys": {...}, "values": {...}}}  {"mapped": [model, external id]}
                                                           stands for the mapped record's id
        """
        system = self.browse(system_id)
        with file_open(path) as handle:
            script = json.load(handle)
        for step in script["steps"]:
            (verb, argument), = step.items()
            getattr(self, "_demo_step_%s" % verb)(system, argument)
        return True

    def _demo_mapped(self, system, value):
        if isinstance(value, dict) and "mapped" in value:
            model, external_id = value["mapped"]
            return self.env["construction.sync.mapping"]._find(system, model, external_id).res_id or False
        return value

    def _demo_step_deliver(self, system, envelopes):
        intake = self.env["construction.sync.intake"]
        secret = system.sudo().secret
        for document in envelopes:
            body = json.dumps(document).encode()
            webhook_id = "demo_%s" % uuid.uuid4().hex
            timestamp = int(time.time())
            headers = {
                "webhook-id": webhook_id,
                "webhook-timestamp": str(timestamp),
                "webhook-signature": signature.sign(secret, webhook_id, timestamp, body),
            }
            delivery.receive(intake, system.code, False, "POST", headers, "application/json", len(body),
                             lambda limit, b=body: b)
        self.env["construction.sync.runner"]._drain("realtime", commit=False)

    def _demo_step_setting(self, system, argument):
        # The addon declaring the type may have been installed seconds ago, in this very load.
        system._ensure_settings()
        system.setting_ids.filtered(lambda s: s.event_type == argument["event_type"]).write(argument["values"])

    def _demo_step_accept(self, system, event_types):
        waiting = self.env["construction.sync.event"].search(
            [("system_id", "=", system.id), ("state", "=", "awaiting_approval"), ("event_type", "in", event_types)],
            order="source_timestamp")
        admin = self.env.ref("base.user_admin")
        for event in waiting:
            event.with_user(admin).action_accept()

    def _demo_step_call(self, system, argument):
        record = self.env[argument["model"]].browse(
            self._demo_mapped(system, {"mapped": [argument["model"], argument["external_id"]]})).exists()
        if record and all(record[field] == value for field, value in argument.get("if", {}).items()):
            getattr(record, argument["method"])()

    def _demo_step_upsert(self, system, argument):
        Model = self.env[argument["model"]]
        keys = {field: self._demo_mapped(system, value) for field, value in argument["keys"].items()}
        if not all(keys.values()):
            return
        record = Model.search([(field, "=", value) for field, value in keys.items()], limit=1)
        if record:
            record.write(argument["values"])
        else:
            Model.create({**keys, **argument["values"]})
