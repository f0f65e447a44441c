import logging

from odoo import SUPERUSER_ID, http
from odoo.http import request

from ..sync.metrics import CONTENT_TYPE
from .webhook import unavailable

_logger = logging.getLogger(__name__)


class MetricsController(http.Controller):
    """Prometheus scrape endpoint: a bearer token (system parameter construction_sync.metrics_token,
    generated at install) instead of a session, since the scraper is no Odoo user."""

    @http.route("/construction_sync/metrics", type="http", auth="none", methods=["GET"], save_session=False,
                readonly=True)
    def metrics(self, **kwargs):
        if not request.db:
            return unavailable()
        env = request.env(user=SUPERUSER_ID, su=True)
        Metrics = env["construction.sync.metrics"]
        if not Metrics._check_token(request.httprequest.headers.get("Authorization")):
            return request.make_response(
                "401 Unauthorized: send the token of system parameter construction_sync.metrics_token "
                "as 'Authorization: Bearer <token>'.\n",
                headers=[("Content-Type", "text/plain; charset=utf-8"), ("WWW-Authenticate", 'Bearer realm="metrics"')],
                status=401,
            )
        return request.make_response(Metrics._render(), headers=[("Content-Type", CONTENT_TYPE),
                                                                 ("Cache-Control", "no-store")])
