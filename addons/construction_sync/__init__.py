from . import controllers
from . import models
from . import server
from . import wizards


def _post_load():
    """Odoo calls this when the module is loaded server-wide (see server.py)."""
    server.install()


def _uninstall_hook(env):
    """What the models made outside the ORM's reach and the ORM leaves behind."""
    env.cr.execute("DROP FUNCTION IF EXISTS construction_sync_intake_store")
    env.cr.execute("DROP FUNCTION IF EXISTS construction_sync_rate_take")
    env.cr.execute("DROP FUNCTION IF EXISTS construction_sync_rate_sync")
