import json
import os
import re

from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.construction_sync.sync import schema
from odoo.addons.construction_base.tests.common import FinanceCase

APPLICATION = {
    "id": "PA-1", "project_id": "P-1", "application_number": 1, "period_end": "2026-09-30",
    "retention_percent": 10, "materials_retention_percent": 5,
    "lines": [
        {"cost_code_id": "CC-1", "description": "Footings and slabs", "scheduled_value": 200000,
         "work_completed_this_period": 50000, "materials_stored": 0},
        {"cost_code_id": "CC-2", "scheduled_value": 100000, "work_completed_this_period": 10000,
         "materials_stored": 8000},
    ],
}


def changed(lines=None, **values):
    data = dict(APPLICATION, **values)
    if lines:
        data["lines"] = [dict(line, **lines.get(line["cost_code_id"], {})) for line in APPLICATION["lines"]]
    return data


@tagged("post_install", "-at_install")
class TestProgressBillingEvents(FinanceCase):
    def masters(self):
        self.deliver("partner.upserted", {"id": "C-1", "name": "Bayview Hospital District", "kind": "customer"})
        self.deliver("project.upserted", {"id": "P-1", "name": "Bayview Clinic", "customer_id": "C-1",
                                          "contract_value": 500000, "retention_percent": 10})
        # Codes nobody else uses, so the events create them instead of adopting a fixture's or the demo's.
        self.deliver("cost_code.upserted", {"id": "CC-1", "code": "98 30 00", "name": "Cast-in-Place Concrete"})
        self.deliver("cost_code.upserted", {"id": "CC-2", "code": "98 20 00", "name": "Unit Masonry"})
        self.drain()

    def without_approval(self):
        self.system.setting_ids.filtered(
            lambda s: s.event_type == "progress_billing.certified"
        ).requires_approval = False

    def applications(self):
        return self.env["construction.pay.application"].search([("project_id.name", "=", "Bayview Clinic")])

    def test_example_is_valid_and_approval_is_the_default(self):
        handler = self.env["construction.sync.handler"]._get("progress_billing.certified")
        self.assertEqual(schema.validate(handler.example, handler.schema), [])
        self.assertEqual(schema.validate(APPLICATION, handler.schema), [])
        self.assertTrue(handler.default_requires_approval)
        # The README's example is what external systems copy: it must pass the same schema.
        readme = os.path.join(os.path.dirname(__file__), "..", "..", "..", "README.md")
        if os.path.exists(readme):  # absent when the addon is installed without the repository
            with open(readme, encoding="utf-8") as file:
                section = file.read().split("#### `progress_billing.certified`")[1].split("####")[0]
            example = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
            self.assertEqual(schema.validate(example["data"], handler.schema), [])

    def test_certified_application_waits_for_approval_then_applies(self):
        self.masters()
        event = self.deliver("progress_billing.certified", APPLICATION)
        self.drain()
        self.assertEqual(event.state, "awaiting_approval", event.error_message)
        self.assertEqual(event.approval_summary,
                         "Certify Bayview Clinic, Application 1: billed this period $\xa068,000.00, "
                         "retainage $\xa06,400.00, current payment due $\xa061,600.00")
        self.assertFalse(self.applications(), "preparing left nothing behind")
        with self.assertRaises(UserError):
            event.with_user(self.construction_user).action_accept()
        # Certifying is a construction manager's right, not an integration manager's.
        with self.assertRaisesRegex(UserError, "Construction Manager"):
            event.with_user(self.user_manager).action_accept()
        self.assertEqual(event.state, "awaiting_approval")
        event.with_user(self.construction_manager).action_accept()
        self.assertEqual(event.state, "done", event.error_message)
        application = event.record_ref
        self.assertEqual((application.state, application.number, str(application.period_end)),
                         ("certified", 1, "2026-09-30"))
        self.assertEqual(application.partner_id.name, "Bayview Hospital District")
        self.assertEqual(application.line_ids.mapped("description"), ["Footings and slabs", "Unit Masonry"])
        self.assertEqual(
            (application.total_completed_stored, application.retainage_work, application.retainage_stored,
             application.current_payment_due, application.balance_to_finish),
            (68000.0, 6000.0, 400.0, 61600.0, 438400.0),
        )

    def test_unknown_project_waits_then_applies(self):
        self.without_approval()
        event = self.deliver("progress_billing.certified", APPLICATION)
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        self.assertIn("Unknown project 'P-1'", event.error_message)
        self.masters()
        self.drain()
        self.assertEqual(event.state, "done", event.error_message)
        self.assertEqual(event.record_ref.current_payment_due, 61600.0)

    def test_rule_violations_are_business_errors_before_the_approval_gate(self):
        self.masters()
        over = self.deliver("progress_billing.certified", changed(
            id="PA-9", lines={"CC-2": {"work_completed_this_period": 92000.01}}))
        twice = self.deliver("progress_billing.certified", dict(APPLICATION, id="PA-8", application_number=8,
                                                                lines=[APPLICATION["lines"][0]] * 2))
        self.drain()
        self.assertEqual((over.state, over.error_class), ("failed", "business"))
        self.assertIn("98 20 00 Unit Masonry on Bayview Clinic, Application 1: completed and stored to date "
                      "($\xa0100,000.01) exceeds the scheduled value ($\xa0100,000.00)", over.error_message)
        self.assertEqual((twice.state, twice.error_class), ("failed", "business"))
        self.assertIn("appears twice", twice.error_message)
        self.assertFalse(self.applications())

    def test_replays_update_the_same_application_until_it_is_invoiced(self):
        self.masters()
        self.without_approval()
        first = self.deliver("progress_billing.certified", APPLICATION, timestamp="2026-11-23T08:00:00Z")
        self.drain()
        application = first.record_ref
        correction = self.deliver("progress_billing.certified", changed(
            period_end="2026-09-29", lines={"CC-1": {"work_completed_this_period": 40000}}),
            timestamp="2026-11-23T09:00:00Z")
        self.drain()
        self.assertEqual(correction.state, "done", correction.error_message)
        self.assertEqual(correction.record_ref, application)
        self.assertEqual(len(self.applications()), 1)
        self.assertEqual((application.state, str(application.period_end), application.current_payment_due),
                         ("certified", "2026-09-29", 52600.0))
        first.with_user(self.user_manager).action_replay()
        self.drain()
        self.assertEqual(first.state, "stale", "older than the correction")

        application.action_create_invoice()
        self.assertEqual(application.invoice_id.amount_total, 52600.0)
        correction.with_user(self.user_manager).action_replay()
        self.drain()
        self.assertEqual(correction.state, "done", "the same figures again change nothing")
        self.assertEqual(application.state, "invoiced")
        late = self.deliver("progress_billing.certified", changed(period_end="2026-09-29"),
                            timestamp="2026-11-23T10:00:00Z")
        self.drain()
        self.assertEqual((late.state, late.error_class), ("failed", "business"))
        self.assertIn("is already invoiced", late.error_message)
        self.assertEqual(application.current_payment_due, 52600.0)

    def test_next_application_carries_the_previous_one_forward(self):
        self.masters()
        self.without_approval()
        self.deliver("progress_billing.certified", APPLICATION)
        # The 8 000 of stored block is laid in October: stored goes to 0, work this period 12 000.
        second = self.deliver("progress_billing.certified", dict(
            changed(lines={"CC-1": {"work_completed_this_period": 0},
                           "CC-2": {"work_completed_this_period": 12000, "materials_stored": 0}}),
            id="PA-2", application_number=2, period_end="2026-10-31"))
        self.drain()
        self.assertEqual(second.state, "done", second.error_message)
        application = second.record_ref
        self.assertEqual(
            (application.total_completed_stored, application.retainage_total, application.previous_certificates,
             application.current_payment_due),
            (72000.0, 7200.0, 61600.0, 3200.0),
        )
