from . import controllers
from . import models
from . import server
from . import wizards


def _post_load():
    """Odoo calls this when the module is loaded server-wide (see server.py)."""
    server.install()
