"""Signing secrets at rest.

When the server's configuration file holds `construction_sync_secret_key` (in the [options]
section of odoo.conf; there is no command-line flag for it, so it never shows in `ps`), the
secrets of the external systems are stored Fernet-encrypted (AES-128-CBC + HMAC-SHA256, from
python3-cryptography, one of Odoo's own dependencies) under a key derived from that value, and
decrypted only to verify a delivery or to show the secret to an integration manager. Without it
they are stored as they are, as before: anyone who can read the database (a dump, a backup, a
read-only SQL role) can then sign deliveries.

A stored value that starts with SEALED_PREFIX is encrypted; any other value is a plain secret (one
stored before a key was configured) and is encrypted the next time the system authenticates a
delivery, or by the daily housekeeping cron.

Several comma-separated values rotate the server key: the first encrypts, every one decrypts, and
values encrypted under another than the first are encrypted again under the first the same way.

Nothing here puts a secret, encrypted or not, in an exception message.
"""

import base64
import functools
import hashlib
from collections import namedtuple

from cryptography.fernet import Fernet, InvalidToken

from odoo.tools import config

CONFIG_KEY = "construction_sync_secret_key"
SEALED_PREFIX = "fernet1:"
# Keeps one configured value from being the Fernet key of anything else derived from it.
_CONTEXT = b"construction_sync signing secrets\x00"


# A system's secrets as its row stores them (encrypted or plain), and the previous one's deadline.
StoredSecrets = namedtuple("StoredSecrets", "secret previous_secret previous_secret_valid_until")


class SecretUnreadable(Exception):
    """A stored secret that cannot be decrypted with the configured key(s)."""


def configured_keys():
    """The Fernet keys from the server configuration, the one that encrypts first; () without."""
    value = config.get(CONFIG_KEY)
    if not value or not isinstance(value, str):
        return ()
    return tuple(_fernet(part.strip()) for part in value.split(",") if part.strip())


@functools.lru_cache(maxsize=8)
def _fernet(material):
    # A configured value is a passphrase of any length, not necessarily a Fernet key itself.
    # Cached: every authenticated delivery asks for the keys.
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(_CONTEXT + material.encode()).digest()))


def is_sealed(stored):
    return bool(stored) and stored.startswith(SEALED_PREFIX)


def seal(plain, keys):
    """The stored form of a secret: encrypted under the first key, or the secret itself."""
    if not plain or not keys:
        return plain or None
    return SEALED_PREFIX + keys[0].encrypt(plain.encode()).decode()


def unseal(stored, keys):
    """(secret, current): the secret a stored value holds, and whether the value is stored as it
    should be now (encrypted under the first key when there is one). Raises SecretUnreadable."""
    if not stored:
        return None, True
    if not is_sealed(stored):
        return stored, not keys
    token = stored[len(SEALED_PREFIX):].encode()
    for index, key in enumerate(keys):
        try:
            return key.decrypt(token).decode(), index == 0
        except InvalidToken:
            continue
    raise SecretUnreadable(
        "a signing secret is stored encrypted and no configured %s decrypts it" % CONFIG_KEY
    ) from None
