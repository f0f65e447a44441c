import json

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..sync import delivery, openapi

ALL_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


class WebhookController(http.Controller):
    """HTTP entry points only: the request's checks (sync.delivery) and construction.sync.intake
    make the reply, sent as JSON. Every route accepts all methods so a wrong one gets a JSON 405,
    not Odoo's HTML page."""

    def _deliver(self, code, batch):
        httprequest = request.httprequest
        env = request.env(user=SUPERUSER_ID, su=True)
        status, body, headers = delivery.receive(
            env["construction.sync.intake"],
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
        return request.make_json_response(body, headers=list(headers.items()), status=status)

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
        base_url = request.httprequest.host_url.rstrip("/")
        handlers = request.env(user=SUPERUSER_ID, su=True)["construction.sync.handler"]._handlers()
        return request.make_response(
            json.dumps(openapi.document(base_url, handlers), indent=2, sort_keys=False),
            headers=[("Content-Type", "application/json"), ("Cache-Control", "no-cache")],
        )
