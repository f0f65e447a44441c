import logging

from odoo import models
from odoo.tools import SQL

from ..sync import secret_store, signature

_logger = logging.getLogger(__name__)

# Columns of the inheriting table that hold signing secrets as stored (encrypted when the server
# has construction_sync_secret_key, see sync.secret_store).
SECRET_FIELDS = ("secret", "previous_secret")


class ConstructionSyncSecretMixin(models.AbstractModel):
    """Standard Webhooks signing secrets kept as stored, for the external systems (inbound) and
    their outbound subscriptions alike.

    The columns `secret` and `previous_secret` are not the ORM's: they hold the values as stored
    (encrypted when the server configures construction_sync_secret_key), are created by init() and
    written with SQL, as res.users does with passwords. An inheriting model declares fields of the
    same names computed by _compute_secrets (decrypted for a manager) with the inverses below
    (encrypted on write), and `previous_secret_valid_until`."""

    _name = "construction.sync.secret.mixin"
    _description = "Signing Secrets Kept as Stored"

    def init(self):
        super().init()
        if not self._abstract:
            # The secret columns belong to no stored field: made here, kept as they are in a
            # database where they were stored fields before.
            self.env.cr.execute(SQL(
                "ALTER TABLE %s ADD COLUMN IF NOT EXISTS secret varchar,"
                " ADD COLUMN IF NOT EXISTS previous_secret varchar",
                SQL.identifier(self._table),
            ))

    def _stored_secrets(self):
        """{id: secret_store.StoredSecrets} of the records in self saved in the database."""
        ids = [record._origin.id for record in self if record._origin.id]
        if not ids:
            return {}
        self.flush_model(["previous_secret_valid_until"])
        self.env.cr.execute(SQL(
            "SELECT id, secret, previous_secret, previous_secret_valid_until FROM %s WHERE id = ANY(%s)",
            SQL.identifier(self._table), ids,
        ))
        return {row[0]: secret_store.StoredSecrets(*row[1:]) for row in self.env.cr.fetchall()}

    def _compute_secrets(self):
        # Only a manager (the fields' groups) or the superuser gets here.
        keys = secret_store.configured_keys()
        stored = self._stored_secrets()
        for record in self:
            row = stored.get(record._origin.id) or secret_store.StoredSecrets(None, None, None)
            for name in SECRET_FIELDS:
                try:
                    value = secret_store.unseal(getattr(row, name), keys)[0]
                except secret_store.SecretUnreadable:
                    _logger.warning("construction_sync: the %s of %s id %s cannot be decrypted with the configured %s",
                                    name, self._name, record._origin.id, secret_store.CONFIG_KEY)
                    value = None
                record[name] = value or False

    def _inverse_secret(self):
        self._store_secret("secret")

    def _inverse_previous_secret(self):
        self._store_secret("previous_secret")

    def _store_secret(self, name):
        keys = secret_store.configured_keys()
        for record in self:
            self._write_stored_secrets(record.id, {name: secret_store.seal(record[name], keys)})

    def _write_stored_secrets(self, record_id, values):
        """Writes stored values ({column: value as stored}) of one record. Never logged: a failing
        query would otherwise print its parameters (the secret) with the error."""
        assignments = SQL(", ").join(SQL("%s = %s", SQL.identifier(column), value) for column, value in values.items())
        self.env.cr.execute(SQL("UPDATE %s SET %s WHERE id = %s", SQL.identifier(self._table), assignments, record_id),
                            log_exceptions=False)

    def _rotate_stored_secret(self, stored, keys):
        """Makes the current secret the previous one as it is stored, never decrypted (a plain one
        is encrypted on the way when the server has a key), and a new one current."""
        self.ensure_one()
        current = stored.secret
        if keys and current and not secret_store.is_sealed(current):
            current = secret_store.seal(current, keys)
        self._write_stored_secrets(self.id, {
            "previous_secret": current,
            "secret": secret_store.seal(signature.generate_secret(), keys),
        })
        self.invalidate_recordset(list(SECRET_FIELDS))

    def _export_rows(self, field_paths, *, _is_toplevel_call=True):
        # Signing secrets are never exported, whoever exports and from whichever model (a path
        # such as system_id/secret comes here too): their columns come out empty.
        lines = super()._export_rows(field_paths, _is_toplevel_call=_is_toplevel_call)
        hidden = [index for index, path in enumerate(field_paths) if path and path[0] in SECRET_FIELDS]
        for line in lines if hidden else ():
            for index in hidden:
                line[index] = ""
        return lines
