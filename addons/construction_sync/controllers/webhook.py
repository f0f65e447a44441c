import json
import logging

import psycopg2

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..sync import delivery, flood, openapi

_logger = logging.getLogger(__name__)

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]
# Seconds a sender should wait before it tries again while the database is unreachable.
OUTAGE_RETRY_AFTER = 5


OUTAGE_BODY = {"error": {"code": "service_unavailable",
                         "message": "The database is unreachable for a moment; nothing was stored. Retry later."}}


def unavailable():
    """The answer while the database cannot be reached: the delivery was not stored, and the
    sender is told to come back (never a 404, which the contract reserves for unknown systems)."""
    return request.make_json_response(OUTAGE_BODY, headers=[("Retry-After", str(OUTAGE_RETRY_AFTER))], status=503)


def outage_response():
    """The same answer built without a request object (see server.py)."""
    return http.Response(json.dumps(OUTAGE_BODY), status=503, content_type="application/json; charset=utf-8",
                         headers=[("Retry-After", str(OUTAGE_RETRY_AFTER))])


def is_outage(exc):
    """A lost or refused database connection, as opposed to a conflict Odoo retries itself
    (serialization failures and deadlocks carry a pgcode outside class 08 / 57P)."""
    if isinstance(exc, psycopg2.InterfaceError):
        return True
    code = getattr(exc, "pgcode", None)
    return code is None or code.startswith("08") or code in ("57P01", "57P02", "57P03")


class WebhookController(http.Controller):
    """HTTP entry points only: the request's checks (sync.delivery) and construction.sync.intake
    make the reply, sent as JSON. Every route accepts all methods so a wrong one gets a JSON 405,
    not Odoo's HTML page."""

    def _deliver(self, code, batch):
        if not request.db:
            # Odoo serves a request without a database when it cannot list or open one (the
            # server is down or restarting); this route answers then because construction_sync is
            # a server-wide module (--load), see readme/CONFIGURE.md.
            return unavailable()
        try:
            return self._deliver_in_db(code, batch)
        except psycopg2.OperationalError as exc:
            if not is_outage(exc):
                raise  # Odoo replays the request on serialization failures
            _logger.warning("webhook delivery to %s answered 503: database unreachable (%s)", code, exc)
            return unavailable()
        except psycopg2.InterfaceError as exc:
            _logger.warning("webhook delivery to %s answered 503: database connection lost (%s)", code, exc)
            return unavailable()

    def _deliver_in_db(self, code, batch):
        httprequest = request.httprequest
        env = request.env(user=SUPERUSER_ID, su=True)
        intake = env["construction.sync.intake"]
        # Unauthenticated floods (sync.flood): an address over its budget of refusals is answered
        # before any check, query of the engine or body read. The budget is a system parameter,
        # read from Odoo's in-memory parameter cache.
        address = flood.address_key(httprequest.remote_addr)
        per_minute = intake._unauthenticated_per_minute()
        wait = flood.GUARD.retry_after(address, per_minute)
        if wait:
            return request.make_json_response(
                {"error": {"code": "unauthenticated_rate_limited",
                           "message": "Too many requests from this address were refused before authentication; "
                                      "retry after %d s." % wait}},
                headers=[("Retry-After", str(wait))], status=429,
            )
        reply = delivery.answer(
            intake,
            code=code,
            batch=batch,
            method=httprequest.method,
            headers={key.lower(): value for key, value in httprequest.headers.items()},
            content_type=httprequest.headers.get("Content-Type"),
            content_length=httprequest.content_length,
            # Called only after Content-Length passed the size check; a chunked body without
            # one is capped by Odoo's own max_content_length and measured after reading. Cached,
            # because Odoo replays the request when its transaction hits a serialization failure.
            read_body=lambda limit: httprequest.get_data(),
        )
        # A 202 promises the event is stored (and a 409/422 that the body was kept): commit before
        # answering, so that a database lost between the reply and Odoo's own commit becomes a
        # 503 the sender retries, never a 202 that was not kept nor an HTML error page.
        env.cr.commit()
        # Counted once the transaction is through (Odoo replays the whole request after a
        # serialization failure). Every refusal before the signature verified counts, the 503 of
        # a secret the server cannot decrypt too (an outage's 503 never gets here).
        if reply.authenticated:
            flood.GUARD.trust(address)
        elif reply.status >= 400:
            flood.GUARD.charge(address, per_minute)
        return request.make_json_response(reply.body, headers=list(reply.headers.items()), status=reply.status)

    @http.route("/construction_sync/webhook/<string:code>", type="http", auth="none",
                methods=ALL_METHODS, csrf=False, save_session=False, readonly=False)
    def webhook(self, code, **kwargs):
        return self._deliver(code, batch=False)

    @http.route("/construction_sync/webhook/<string:code>/batch", type="http", auth="none",
                methods=ALL_METHODS, csrf=False, save_session=False, readonly=False)
    def webhook_batch(self, code, **kwargs):
        return self._deliver(code, batch=True)

    @http.route("/construction_sync/openapi.json", type="http", auth="none", methods=["GET"],
                save_session=False)
    def openapi(self, **kwargs):
        if not request.db:
            return unavailable()
        base_url = request.httprequest.host_url.rstrip("/")
        handlers = request.env(user=SUPERUSER_ID, su=True)["construction.sync.handler"]._handlers()
        publishers = request.env(user=SUPERUSER_ID, su=True)["construction.sync.publisher"]._publishers()
        return request.make_response(
            json.dumps(openapi.document(base_url, handlers, publishers), indent=2, sort_keys=False),
            headers=[("Content-Type", "application/json"), ("Cache-Control", "no-cache")],
        )
