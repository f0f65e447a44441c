"""What construction_sync changes in the Odoo server process, applied by the manifest's post_load
hook when the module is first imported: at server start when it is loaded server-wide
(`server_wide_modules = base,web,construction_sync`, or `--load=...`; see readme/CONFIGURE.md, and
the setting the 503 below needs anyway), else with the first database that has it installed. Both
changes are about the minutes after a crash or a database restart, when a sender and the queue need
the server most:

- A prefork cron worker sleeps up to 70 s before its first look for due jobs, and the wake-up the
  engine sends when the registry loads (construction.sync.runner._register_hook) is sent before
  the workers exist. So after kill -9 and a restart, queued events waited a minute for nothing. A
  cron worker now looks once right after it starts, then sleeps as Odoo's do.
- While PostgreSQL restarts, Odoo may open a request's registry on a pooled connection and then
  fail to open the request's own cursor, before any controller runs: the sender got Odoo's HTML
  500. For the webhook routes that failure is the 503 JSON with Retry-After the controller gives
  for any outage.
"""

import logging

import psycopg2

from odoo import http
from odoo.service import server

_logger = logging.getLogger(__name__)

WEBHOOK_PREFIX = "/construction_sync/"


def _first_look_then_sleep(original):
    def sleep(self):
        if not getattr(self, "_construction_sync_looked", False):
            self._construction_sync_looked = True
            return
        original(self)
    return sleep


def _webhook_outage_as_503(original):
    def _serve_db(self):
        try:
            return original(self)
        except (psycopg2.OperationalError, psycopg2.InterfaceError) as exc:
            from .controllers.webhook import is_outage, outage_response  # noqa: PLC0415 - avoids an import cycle

            if not self.httprequest.path.startswith(WEBHOOK_PREFIX) or not is_outage(exc):
                raise
            _logger.warning("%s answered 503: database unreachable before the request began (%s)",
                            self.httprequest.path, exc)
            return outage_response()
    return _serve_db


def install():
    if getattr(server.WorkerCron, "_construction_sync_patched", False):
        return
    server.WorkerCron.sleep = _first_look_then_sleep(server.WorkerCron.sleep)
    server.WorkerCron._construction_sync_patched = True
    http.Request._serve_db = _webhook_outage_as_503(http.Request._serve_db)
