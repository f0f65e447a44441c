from odoo.tests import tagged

from .ops_common import OpsCase


@tagged("post_install", "-at_install")
class TestTraceCorrelation(OpsCase):
    """The record trace (issue #15's construction.sync.trace) carries the correlation ids the
    senders supplied, so one business record can be followed across systems."""

    def test_trace_names_the_senders_correlation_id(self):
        # The event is about the partner through its mapping only (it produced no record): the
        # trace finds it by its object key.
        partner = self.env["res.partner"].create({"name": "Harbor Cranes Ltd"})
        self.Mapping.sudo().create({"system_id": self.system.id, "res_model": "res.partner",
                                    "external_id": "V-5", "res_id": partner.id})
        event = self.add_events(1, self.ago(hours=1), state="pending")
        event.sudo().write({"object_key": "res.partner:V-5", "correlation_id": "corr-7f3a"})
        event._transition("done", "done", "applied")
        Trace = self.env["construction.sync.trace"].with_user(self.user_integration)
        trace = Trace.get_trace("res.partner", partner.id)
        self.assertEqual([(entry["kind"], entry["correlation_id"]) for entry in trace],
                         [("inbound", "corr-7f3a"), ("audit", "corr-7f3a")])
