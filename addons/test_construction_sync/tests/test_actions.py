import json
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import SyncCase, signed_headers

from .common import CONTACT, SITE

CUSTOMER = {"id": "C-1", "name": "Ridgeline Concrete", "kind": "subcontractor"}


@tagged("post_install", "-at_install")
class TestActions(SyncCase):
    """What people do with events (the type-free rights on systems are tested in construction_sync)."""

    def failed_event(self, external_id="C-1"):
        event = self.deliver(SITE, {"id": "P-%s" % external_id, "name": "Job", "customer_id": external_id})
        self.drain()
        self.assertEqual(event.state, "failed")
        return event

    def test_user_can_assign_and_note_in_bulk_but_not_ignore(self):
        events = self.failed_event("C-1") | self.failed_event("C-2")
        as_user = events.with_user(self.user_integration)
        as_user.action_assign(self.user_integration.id)
        as_user.action_add_note("Asked the PM for the customer record")
        self.assertEqual(events.mapped("user_id"), self.user_integration)
        for event in events:
            self.assertEqual(
                event.audit_ids.filtered(lambda a: a.action == "note").message, "Asked the PM for the customer record"
            )
        with self.assertRaises(UserError):
            as_user.action_ignore("not ours")
        with self.assertRaises(UserError):
            as_user.action_replay()

    def test_plain_users_cannot_read_or_act(self):
        event = self.failed_event()
        with self.assertRaises(AccessError):
            event.with_user(self.user_plain).read(["state"])
        with self.assertRaises(UserError):
            event.with_user(self.user_plain).action_retry()

    def test_manager_ignores_with_a_reason_and_replays_a_time_range(self):
        events = self.failed_event("C-1") | self.failed_event("C-2")
        with self.assertRaises(UserError):
            events.with_user(self.user_manager).action_ignore("")
        events[0].with_user(self.user_manager).action_ignore("Test project, never billed")
        self.assertEqual(events[0].state, "ignored")
        wizard = self.env["construction.sync.replay.wizard"].with_user(self.user_manager).create({
            "system_id": self.system.id,
            "date_from": fields.Datetime.now() - timedelta(hours=1),
            "date_to": fields.Datetime.now() + timedelta(hours=1),
            "include_failed": True, "include_ignored": True, "reason": "customer records fixed upstream",
        })
        self.assertEqual(wizard.match_count, 2)
        self.deliver(CONTACT, {"id": "C-1", "name": "Ridgeline", "kind": "customer"})
        self.deliver(CONTACT, {"id": "C-2", "name": "Summit", "kind": "customer"})
        self.drain()
        wizard.action_replay()
        self.assertEqual(events.mapped("state"), ["done", "done"])
        self.assertIn("customer records fixed upstream",
                      events[0].audit_ids.filtered(lambda a: a.action == "replay").message)

    def test_retry_refuses_events_that_are_not_failed(self):
        event = self.deliver(CONTACT, CUSTOMER)
        with self.assertRaisesRegex(UserError, "only events in state"):
            event.with_user(self.user_integration).action_retry()

    def test_bulk_retry_beyond_the_inline_limit_goes_to_the_queue(self):
        events = self.Event
        for index in range(25):
            events |= self.failed_event("X-%d" % index)
        events.with_user(self.user_integration).action_retry()
        self.assertEqual(set(events.mapped("state")), {"pending"})
        cron = self.env.ref("construction_sync.ir_cron_process_realtime")
        self.assertTrue(self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))

    def test_action_wizard_applies_to_the_selection(self):
        events = self.failed_event("C-1") | self.failed_event("C-2")
        wizard = self.env["construction.sync.event.action.wizard"].with_user(self.user_manager).with_context(
            active_model="construction.sync.event", active_ids=events.ids,
        ).create({"action": "ignore", "text": "duplicates"})
        self.assertEqual(wizard.event_count, 2)
        wizard.action_confirm()
        self.assertEqual(events.mapped("state"), ["ignored", "ignored"])

    def test_payload_audit_and_events_cannot_be_rewritten_or_deleted(self):
        event = self.failed_event()
        with self.assertRaises(UserError):
            event.sudo().write({"payload": "{}"})
        with self.assertRaises(UserError):
            event.sudo().unlink()
        audit = event.audit_ids[:1]
        with self.assertRaises(UserError):
            audit.sudo().write({"message": "rewritten"})
        with self.assertRaises(UserError):
            audit.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["construction.sync.audit"].with_user(self.user_manager).create(
                {"event_id": event.id, "at": fields.Datetime.now(), "action": "note"})

    def test_purge_removes_only_done_events_past_retention(self):
        done = self.deliver(CONTACT, CUSTOMER)
        self.drain()
        failed = self.failed_event("C-404")
        long_ago = fields.Datetime.now() - timedelta(days=31)
        (done | failed).sudo().write({"received_at": long_ago, "finished_at": long_ago})
        recent = self.deliver(CONTACT, {**CUSTOMER, "id": "C-77", "name": "Received long ago, done today"})
        self.drain()
        recent.sudo().write({"received_at": long_ago})
        self.env.flush_all()
        self.assertEqual(self.Runner._cron_purge(chunk=1), 1, "in chunks of one: the second finds nothing more")
        self.assertTrue(recent.exists(), "retention counts from when an event finished")
        self.assertFalse(done.exists())
        self.assertTrue(failed.exists())
        self.assertFalse(self.env["construction.sync.audit"].search([("event_id", "=", done.id)]))


@tagged("post_install", "-at_install")
class TestCompanyIsolation(SyncCase):
    def test_users_see_only_their_companies_systems_events_and_mappings(self):
        company_b = self.env["res.company"].create({"name": "Builders B"})
        system_b = self.env["construction.sync.system"].create(
            {"name": "B platform", "code": "field", "company_id": company_b.id})
        system_b.sudo().secret = "whsec_" + "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJC"
        # Same code in both companies: the secret that verifies picks the system.
        body = json.dumps({"type": CONTACT, "timestamp": "2026-11-23T08:00:00Z",
                           "data": {"id": "B-1", "name": "B customer", "kind": "customer"}}).encode()
        status, reply = self.receive_raw(
            body, headers=signed_headers(body, secret=system_b.sudo().secret), system=system_b)
        self.assertEqual(status, 202)
        event_b = self.Event.browse(reply["event_id"])
        self.assertEqual(event_b.system_id, system_b)
        self.assertEqual(event_b.company_id, company_b)
        self.drain()
        self.assertEqual(event_b.record_ref.company_id, company_b)
        event_a = self.deliver(CONTACT, {"id": "A-1", "name": "A customer", "kind": "customer"})

        user_a = self.user_manager  # only in the main company
        self.assertEqual(self.Event.with_user(user_a).search([("id", "in", (event_a | event_b).ids)]), event_a)
        self.assertEqual(
            self.env["construction.sync.system"].with_user(user_a).search([("code", "=", "field")]), self.system)
        self.assertFalse(self.Mapping.with_user(user_a).search([("system_id", "=", system_b.id)]))
        with self.assertRaises(AccessError):
            event_b.with_user(user_a).read(["payload"])


@tagged("post_install", "-at_install")
class TestAccessRights(SyncCase):
    def test_nobody_creates_or_edits_events_through_the_orm(self):
        with self.assertRaises(AccessError):
            self.Event.with_user(self.user_manager).create({
                "system_id": self.system.id, "company_id": self.company.id, "webhook_id": "x",
                "event_type": CONTACT, "payload": "{}", "source_timestamp": fields.Datetime.now(),
                "processing_mode": "realtime", "received_at": fields.Datetime.now()})
        event = self.deliver(CONTACT, CUSTOMER)
        with self.assertRaises(AccessError):
            event.with_user(self.user_manager).write({"state": "done"})
