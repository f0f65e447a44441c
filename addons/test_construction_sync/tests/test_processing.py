import json
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.construction_sync.tests.common import SyncCase

from ..handlers.contact import TestContactUpserted
from .common import CONTACT, CONTACT_MODEL, SITE, SITE_MODEL

PROCESSOR_LOGGER = "odoo.addons.construction_sync.models.construction_sync_processor"
CUSTOMER = {"id": "C-9", "name": "Quayside Test Clinic", "kind": "customer"}
SITE_DATA = {"id": "P-100", "name": "Riverside MOB", "customer_id": "C-9", "contract_value": 4850000.0,
             "retention_percent": 10, "currency": "USD"}


@tagged("post_install", "-at_install")
class TestProcessing(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.currency_id = cls.env.ref("base.USD")

    def contact(self, external_id="C-9"):
        mapping = self.Mapping._find(self.system, CONTACT_MODEL, external_id)
        return self.env[CONTACT_MODEL].browse(mapping.res_id)

    def setting(self, event_type):
        return self.system.setting_ids.filtered(lambda s: s.event_type == event_type)

    def test_event_is_applied_mapped_and_audited(self):
        event = self.deliver(CONTACT, CUSTOMER)
        before = datetime.now(timezone.utc).replace(tzinfo=None)
        self.assertEqual(self.drain(), 1)
        # To the microsecond, as received_at: processing latencies of less than a second are real.
        self.assertGreaterEqual(event.finished_at, before)
        self.assertEqual(event.state, "done")
        contact = self.contact()
        self.assertEqual((contact.name, contact.customer_rank), ("Quayside Test Clinic", 1))
        self.assertEqual(event.record_ref, contact)
        mapping = self.Mapping._find(self.system, CONTACT_MODEL, "C-9")
        self.assertEqual((mapping.last_event_id, mapping.last_source_timestamp), (event, event.source_timestamp))
        self.assertEqual(
            [(a.action, a.from_state, a.to_state) for a in event.audit_ids.sorted("id")],
            [("claim", "pending", "processing"), ("done", "processing", "done")],
        )
        self.assertTrue(event.started_at and event.finished_at and event.attempts == 1)

    def test_upsert_updates_the_mapped_record_instead_of_duplicating(self):
        self.deliver(CONTACT, CUSTOMER, timestamp="2026-11-23T08:00:00Z")
        self.drain()
        self.deliver(CONTACT, dict(CUSTOMER, name="Quayside Clinic", kind="vendor"), timestamp="2026-11-23T09:00:00Z")
        self.drain()
        contacts = self.env[CONTACT_MODEL].search([("name", "like", "Quayside Clinic")])
        self.assertEqual(len(contacts), 1)
        self.assertEqual((contacts.name, contacts.customer_rank, contacts.supplier_rank), ("Quayside Clinic", 1, 1))

    def test_older_event_than_the_last_applied_one_is_stale_and_changes_nothing(self):
        self.deliver(CONTACT, dict(CUSTOMER, name="New name"), timestamp="2026-11-23T10:00:00Z")
        self.drain()
        old = self.deliver(CONTACT, dict(CUSTOMER, name="Old name"), timestamp="2026-11-23T09:00:00Z")
        self.drain()
        self.assertEqual(old.state, "stale")
        self.assertIn("Older than the last applied event",
                      old.audit_ids.filtered(lambda a: a.action == "stale").message)
        self.assertEqual(self.contact().name, "New name")

    def test_events_queued_together_apply_in_source_order(self):
        newer = self.deliver(CONTACT, dict(CUSTOMER, name="Second"), timestamp="2026-11-23T10:00:00Z")
        older = self.deliver(CONTACT, dict(CUSTOMER, name="First"), timestamp="2026-11-23T09:00:00Z")
        self.drain()
        self.assertEqual((older.state, newer.state), ("done", "done"))
        self.assertEqual(self.contact().name, "Second")
        self.assertEqual(self.Mapping._find(self.system, CONTACT_MODEL, "C-9").last_event_id, newer)

    def test_unknown_reference_waits_and_is_released_when_the_master_arrives(self):
        site_event = self.deliver(SITE, SITE_DATA)
        self.drain()
        self.assertEqual((site_event.state, site_event.error_class), ("failed", "data"))
        self.assertEqual(site_event.waiting_for, "%s:C-9" % CONTACT_MODEL)
        self.assertIn("Unknown customer 'C-9'", site_event.error_message)
        self.assertFalse(self.env[SITE_MODEL].search([("name", "=", "Riverside MOB")]))

        self.deliver(CONTACT, CUSTOMER)
        self.drain()
        self.assertEqual(site_event.state, "done")
        site = site_event.record_ref
        self.assertEqual((site.name, site.customer_id, site.contract_value, site.retention_percent),
                         ("Riverside MOB", self.contact(), 4850000.0, 10.0))
        self.assertIn("release", site_event.audit_ids.mapped("action"))

    def test_mapping_fixed_by_a_manager_releases_waiting_events(self):
        site_event = self.deliver(SITE, SITE_DATA)
        self.drain()
        existing = self.env[CONTACT_MODEL].create({"name": "Harbor (existing)"})
        self.Mapping.with_user(self.user_manager).create({
            "system_id": self.system.id, "res_model": CONTACT_MODEL, "external_id": "C-9", "res_id": existing.id,
        })
        self.assertEqual(site_event.state, "pending")
        self.drain()
        self.assertEqual(site_event.record_ref.customer_id, existing)

    def test_business_rule_failure_waits_for_a_person_with_a_clear_message(self):
        self.deliver(CONTACT, CUSTOMER)
        event = self.deliver(SITE, dict(SITE_DATA, currency="EUR"))
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("is in EUR but", event.error_message)
        self.assertNotIn("Traceback", event.error_message)

    @contextmanager
    def failing_after_apply(self, error):
        """Fault injection: the real handler writes its record, then fails."""
        handler = self.env["construction.sync.handler"]._get(CONTACT)
        real_apply = TestContactUpserted.apply

        def apply_then_fail(self_, ctx):
            real_apply(self_, ctx)
            raise error

        with patch.object(type(handler), "apply", apply_then_fail):
            yield

    def test_handler_failure_rolls_back_its_partial_writes(self):
        event = self.deliver(CONTACT, CUSTOMER)
        with self.failing_after_apply(ZeroDivisionError("boom")), mute_logger(PROCESSOR_LOGGER):
            self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "technical"))
        self.assertEqual(event.error_message, "ZeroDivisionError: boom")
        self.assertIn("Traceback", event.sudo().error_traceback)
        self.assertFalse(self.env[CONTACT_MODEL].search([("name", "=", CUSTOMER["name"])]))
        self.assertFalse(self.Mapping._find(self.system, CONTACT_MODEL, "C-9"))
        # Once the cause is gone, a person's retry applies it, in their request.
        event.with_user(self.user_integration).action_retry()
        self.assertEqual(event.state, "done")
        self.assertEqual(self.contact().name, CUSTOMER["name"])

    def test_transient_failure_backs_off_then_dies_after_max_attempts(self):
        self.setting(CONTACT).max_attempts = 2
        event = self.deliver(CONTACT, CUSTOMER)
        # A real lock timeout: another connection holds the row the handler needs.
        admin_partner = self.env.ref("base.partner_admin")
        with self.registry.cursor() as other:
            other.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", (admin_partner.id,))

            def lock_admin(_self, ctx):
                ctx.env.cr.execute("SET LOCAL lock_timeout = '50ms'")
                ctx.env.cr.execute("SELECT id FROM res_partner WHERE id = %s FOR UPDATE", (admin_partner.id,))

            with patch.object(TestContactUpserted, "apply", lock_admin), mute_logger("odoo.sql_db"):
                before = fields.Datetime.now()
                self.drain()
                self.assertEqual((event.state, event.error_class, event.attempts), ("pending", "transient", 1))
                self.assertGreaterEqual(event.next_attempt_at, before + timedelta(seconds=4))
                self.assertLessEqual(event.next_attempt_at, before + timedelta(seconds=11))
                self.assertEqual(self.drain(), 0, "not before its backoff elapsed")
                event.sudo().next_attempt_at = before
                self.drain()
            other.rollback()
        self.assertEqual((event.state, event.attempts), ("dead", 2))
        self.assertIn("Gave up after 2 attempts", event.audit_ids.filtered(lambda a: a.action == "dead").message)

    def test_approval_gate_holds_until_accepted(self):
        self.setting(SITE).requires_approval = True
        self.deliver(CONTACT, CUSTOMER)
        event = self.deliver(SITE, SITE_DATA)
        self.drain()
        self.assertEqual(event.state, "awaiting_approval")
        self.assertEqual(event.approval_summary, "Create site Riverside MOB")
        self.assertFalse(self.env[SITE_MODEL].search([("name", "=", "Riverside MOB")]))
        with self.assertRaises(UserError):
            event.with_user(self.user_integration).action_accept()
        event.with_user(self.user_manager).action_accept()
        self.assertEqual(event.state, "done")
        self.assertEqual(event.record_ref.name, "Riverside MOB")
        self.assertEqual(event.audit_ids.filtered(lambda a: a.action == "accept").user_id, self.user_manager)

    def test_approval_gate_takes_the_right_the_handler_names(self):
        """A handler naming an approval group hands the decision to that group's members, even
        against integration managers who are not in it."""
        self.setting(SITE).requires_approval = True
        self.deliver(CONTACT, CUSTOMER)
        event = self.deliver(SITE, SITE_DATA)
        self.drain()
        self.assertEqual(event.state, "awaiting_approval")
        handler = self.env["construction.sync.handler"]._get(SITE)
        approver = new_test_user(self.env, login="csync_site_approver",
                                 groups="construction_sync.group_user,base.group_erp_manager")
        with patch.object(type(handler), "approval_group", "base.group_erp_manager"):
            with self.assertRaisesRegex(UserError, "right .*Access Rights can accept or reject test_site.upserted"):
                event.with_user(self.user_manager).action_accept()
            with self.assertRaises(UserError):
                event.with_user(self.user_manager).action_reject("not mine to refuse")
            self.assertEqual(event.state, "awaiting_approval")
            event.with_user(approver).action_accept()
        self.assertEqual(event.state, "done")
        self.assertEqual(event.audit_ids.filtered(lambda a: a.action == "accept").user_id, approver)

    def test_approval_gate_rejection_keeps_a_reason(self):
        self.setting(CONTACT).requires_approval = True
        event = self.deliver(CONTACT, CUSTOMER)
        self.drain()
        with self.assertRaises(UserError):
            event.with_user(self.user_manager).action_reject("  ")
        event.with_user(self.user_manager).action_reject("Duplicate of an existing customer")
        self.assertEqual(event.state, "ignored")
        self.assertIn("Duplicate of an existing customer", event.audit_ids[0].message)
        self.assertFalse(self.contact())

    def test_prepare_failures_are_classified_before_the_gate(self):
        self.setting(SITE).requires_approval = True
        event = self.deliver(SITE, SITE_DATA)
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "data"))

    def test_events_of_one_conflict_key_are_never_applied_by_two_runners_at_once(self):
        first = self.deliver(CONTACT, CUSTOMER)
        second = self.deliver(CONTACT, dict(CUSTOMER, id="C-10", name="Second Clinic"))
        other = self.deliver(CONTACT, dict(CUSTOMER, id="C-11", name="Third Clinic"))
        (first | second).sudo().write({"conflict_key": "project.project:P-1"})
        other.sudo().write({"conflict_key": "project.project:P-2"})
        lock_a, lock_b = self.Queue._acquire_runner_lock(), self.Queue._acquire_runner_lock()
        self.addCleanup(self.Queue._release_runner_lock, lock_a)
        self.addCleanup(self.Queue._release_runner_lock, lock_b)
        self.assertEqual(self.Queue._claim("realtime", 1, "runner-a", lock_a), [first.id])
        # Runner b skips the key runner a is applying, and takes the other key.
        self.assertEqual(self.Queue._claim("realtime", 10, "runner-b", lock_b), [other.id])
        self.Processor._process_claimed(first.id, "runner-a")
        self.assertEqual(first.state, "done")
        self.assertEqual(self.Queue._claim("realtime", 10, "runner-b", lock_b), [second.id])

    def test_a_dead_runners_events_do_not_hold_their_conflict_key(self):
        first = self.deliver(CONTACT, CUSTOMER)
        second = self.deliver(CONTACT, dict(CUSTOMER, id="C-10", name="Second Clinic"))
        (first | second).sudo().write({"conflict_key": "project.project:P-1"})
        lock_a, lock_b = self.Queue._acquire_runner_lock(), self.Queue._acquire_runner_lock()
        self.addCleanup(self.Queue._release_runner_lock, lock_b)
        self.assertEqual(self.Queue._claim("realtime", 1, "runner-a", lock_a), [first.id])
        self.Queue._release_runner_lock(lock_a)  # runner a's session ends
        self.assertEqual(sorted(self.Queue._claim("realtime", 10, "runner-b", lock_b)), sorted([first.id, second.id]))

    def test_lease_expiry_lets_another_worker_take_over_exactly_once(self):
        event = self.deliver(CONTACT, CUSTOMER)
        claimed = self.Queue._claim("realtime", 10, "worker-a")
        self.assertEqual(claimed, [event.id])
        self.assertEqual(self.Queue._claim("realtime", 10, "worker-b"), [], "leased to worker a")
        # Worker a dies without a word; its lease runs out.
        event.sudo().lease_expires_at = fields.Datetime.now() - timedelta(seconds=1)
        self.assertEqual(self.Queue._claim("realtime", 10, "worker-b"), [event.id])
        self.assertIn("lease_expired", event.audit_ids.mapped("action"))
        self.Processor._process_claimed(event.id, "worker-a")  # a late zombie of worker a
        self.assertEqual(event.state, "processing", "a stale claim token applies nothing")
        self.Processor._process_claimed(event.id, "worker-b")
        self.assertEqual((event.state, event.attempts), ("done", 2))
        self.assertEqual(len(self.env[CONTACT_MODEL].search([("name", "=", CUSTOMER["name"])])), 1)

    def test_batch_mode_events_wait_for_the_batch_runner(self):
        self.setting(CONTACT).processing_mode = "batch"
        event = self.deliver(CONTACT, CUSTOMER)
        self.assertEqual(self.drain("realtime"), 0)
        self.assertEqual(event.state, "pending")
        self.assertEqual(self.drain("batch"), 1)
        self.assertEqual(event.state, "done")


@tagged("post_install", "-at_install")
class TestGroupedApplication(SyncCase):
    """Events of a batchable type claimed together are applied together, and one bad event
    never takes its neighbours down with it."""

    def test_a_claimed_batch_is_applied_together_with_one_record_per_event(self):
        events = self.Event
        for index in range(5):
            events |= self.deliver(CONTACT, {"id": "G-%d" % index, "name": "Grouped %d" % index, "kind": "vendor"})
        with patch.object(TestContactUpserted, "apply_batch", autospec=True,
                          side_effect=TestContactUpserted.apply_batch) as apply_batch:
            self.assertEqual(self.drain(), 5)
        self.assertEqual([len(call.args[1]) for call in apply_batch.call_args_list], [5],
                         "one apply_batch for the whole claim")
        self.assertEqual(set(events.mapped("state")), {"done"})
        for index, event in enumerate(events):
            mapping = self.Mapping._find(self.system, CONTACT_MODEL, "G-%d" % index)
            self.assertEqual(event.record_ref, self.env[CONTACT_MODEL].browse(mapping.res_id))
            self.assertEqual(event.record_ref.name, "Grouped %d" % index)
            self.assertEqual(mapping.last_event_id, event)
            self.assertEqual([a.action for a in event.audit_ids.sorted("id")], ["claim", "done"])

    def test_events_applied_together_end_as_events_applied_one_by_one(self):
        # One event alone is applied on its own (a group of one), the next three together.
        alone = self.deliver(CONTACT, {"id": "A-1", "name": "Alone", "kind": "vendor"})
        self.drain()
        grouped = self.Event
        for index in range(3):
            grouped |= self.deliver(CONTACT, {"id": "T-%d" % index, "name": "Together %d" % index, "kind": "vendor"})
        self.drain()
        fields_compared = ["state", "res_model", "lease_expires_at", "claim_token", "error_class", "error_message",
                           "waiting_for", "write_uid"]
        for event in grouped:
            self.assertEqual(event.read(fields_compared)[0] | {"id": 0}, alone.read(fields_compared)[0] | {"id": 0})
            self.assertTrue(event.finished_at)
            self.assertEqual(event.record_ref.name, json.loads(event.payload)["data"]["name"])
            done = event.audit_ids.sorted("id")[-1]
            self.assertEqual((done.action, done.from_state, done.to_state, done.user_id, done.company_id, done.message),
                             ("done", "processing", "done", self.env.user, event.company_id, False))
            mapping = self.Mapping._find(self.system, CONTACT_MODEL, json.loads(event.payload)["data"]["id"])
            self.assertEqual((mapping.company_id, mapping.res_id, mapping.last_event_id, mapping.last_source_timestamp,
                              mapping.create_uid), (self.system.company_id, event.res_id, event, event.source_timestamp,
                                                    self.env.user))

    def test_a_failing_event_falls_back_to_one_by_one_and_fails_alone(self):
        real_values = TestContactUpserted._values

        def values_or_boom(self_, ctx, contact):
            if ctx.data["name"] == "Bad":
                raise ZeroDivisionError("bad contact")
            return real_values(self_, ctx, contact)

        good_a = self.deliver(CONTACT, {"id": "F-1", "name": "Good A", "kind": "vendor"})
        bad = self.deliver(CONTACT, {"id": "F-2", "name": "Bad", "kind": "vendor"})
        good_b = self.deliver(CONTACT, {"id": "F-3", "name": "Good B", "kind": "vendor"})
        with patch.object(TestContactUpserted, "_values", values_or_boom), mute_logger(PROCESSOR_LOGGER):
            self.drain()
        self.assertEqual((good_a.state, bad.state, good_b.state), ("done", "failed", "done"))
        self.assertEqual(bad.error_message, "ZeroDivisionError: bad contact")
        self.assertEqual(self.env[CONTACT_MODEL].search_count([("name", "in", ["Good A", "Good B", "Bad"])]), 2)

    def test_stale_events_in_a_batch_are_explained_one_by_one(self):
        self.deliver(CONTACT, dict(CUSTOMER, name="Newest"), timestamp="2026-11-23T12:00:00Z")
        self.drain()
        old = self.deliver(CONTACT, dict(CUSTOMER, name="Older"), timestamp="2026-11-23T11:00:00Z")
        other = self.deliver(CONTACT, {"id": "S-2", "name": "Other", "kind": "customer"})
        self.drain()
        self.assertEqual((old.state, other.state), ("stale", "done"))
        self.assertEqual(self.Mapping._find(self.system, CONTACT_MODEL, "C-9").last_event_id.payload.count("Newest"), 1)


@tagged("post_install", "-at_install")
class TestPlannerStatistics(SyncCase):
    def test_a_queue_larger_than_the_table_the_planner_knows_refreshes_its_statistics(self):
        self.env.cr.execute("ANALYZE construction_sync_event")
        Queue = self.Queue
        self.assertFalse(Queue._analyze_if_stale(), "statistics just taken")
        for batch in range(12):
            events = [{"id": "stat-%d-%d" % (batch, i), "type": CONTACT,
                       "timestamp": "2026-11-23T08:00:00Z",
                       "data": {"id": "S-%d-%d" % (batch, i), "name": "Stat %d %d" % (batch, i), "kind": "vendor"}}
                      for i in range(100)]
            status, _reply = self.receive_raw(json.dumps({"events": events}).encode(), batch=True)
            self.assertEqual(status, 202)
        self.assertTrue(Queue._analyze_if_stale(), "1200 queued events, a table the planner thinks is small")
        self.assertFalse(Queue._analyze_if_stale(), "fresh statistics count the queue")


@tagged("post_install", "-at_install")
class TestLatencyCounts(SyncCase):
    """Each applied event's latency (received to applied) is counted as it is applied, in the
    per-minute rows the metrics endpoint sums, on both ways to done: a batch applied together and
    an event applied on its own."""

    def backdate(self, events, seconds):
        self.env.flush_all()
        self.env.cr.execute("UPDATE construction_sync_event SET received_at = received_at - %s * interval '1 second'"
                            " WHERE id = ANY(%s)", (seconds, events.ids))
        events.invalidate_recordset(["received_at"])

    def test_applied_events_are_counted_in_their_latency_bucket(self):
        Latency = self.env["construction.sync.latency"]
        since = fields.Datetime.now() - timedelta(hours=1)
        self.assertNotIn(self.system.id, Latency._histogram(since))
        grouped = self.Event
        for index in range(3):
            grouped |= self.deliver(CONTACT, {"id": "L-%d" % index, "name": "Late %d" % index, "kind": "vendor"})
        # Received 100 s before they are applied: in the bucket of 300 s, not in that of 60 s.
        self.backdate(grouped, 100)
        self.assertEqual(self.drain(), 3)
        site = self.deliver(SITE, dict(SITE_DATA, customer_id="L-0"))
        # 7 s: the bucket of 10 s.
        self.backdate(site, 7)
        self.assertEqual(self.drain(), 1)
        self.assertEqual(set((grouped | site).mapped("state")), {"done"})

        cumulative, seconds, count = Latency._histogram(since)[self.system.id]
        # Bounds: 0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600 s.
        self.assertEqual(cumulative, (0, 0, 0, 0, 0, 1, 1, 1, 4, 4, 4))
        self.assertEqual(count, 4)
        expected = sum((event.finished_at - event.received_at).total_seconds() for event in grouped | site)
        self.assertAlmostEqual(seconds, expected, places=3)
        # Only the last hour: an hour from now, nothing is left of them.
        self.assertNotIn(self.system.id, Latency._histogram(fields.Datetime.now() + timedelta(minutes=61)))
        # The hourly rollup deletes what is older than two hours.
        self.assertTrue(Latency.search_count([("system_id", "=", self.system.id)]))
        Latency._purge(fields.Datetime.now() + timedelta(hours=2, minutes=1))
        self.assertFalse(Latency.search_count([("system_id", "=", self.system.id)]))
