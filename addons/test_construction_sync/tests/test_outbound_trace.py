from odoo.tests import tagged

from .common import CONTACT, CONTACT_MODEL
from .outbound_common import OutboundCase


@tagged("post_install", "-at_install")
class TestOutboundTrace(OutboundCase):
    def test_trace_of_a_record_in_time_order(self):
        event = self.deliver(CONTACT, {"id": "C-77", "name": "Traced Contact", "kind": "customer"})
        self.drain()
        self.assertEqual(event.state, "done")
        contact = self.env[CONTACT_MODEL].browse(event.res_id)
        message = self.publish(contact)
        Trace = self.env["construction.sync.trace"].with_user(self.user_integration)
        trace = Trace.get_trace(CONTACT_MODEL, contact.id)
        kinds = [entry["kind"] for entry in trace]
        self.assertEqual(kinds[0], "inbound", trace)
        self.assertIn("audit", kinds)
        self.assertEqual(kinds[-1], "outbound")
        self.assertEqual(trace[-1]["detail"], message.webhook_id)
        self.assertEqual([entry["at"] for entry in trace], sorted(entry["at"] for entry in trace))
        wizard_action = self.env["construction.sync.trace.wizard"]._action_for(contact)
        wizard = self.env["construction.sync.trace.wizard"].browse(wizard_action["res_id"])
        self.assertIn(message.webhook_id, wizard.trace_html)
