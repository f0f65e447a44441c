"""Reconciliation of a project platform's snapshots with Odoo's projects (construction_sync's
generic engine, with construction_base's project spec): worked cases for each kind of difference,
the actions, queued events, paging, control totals, sequence gaps, schedules and companies."""

import json
from datetime import datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import FinanceCase

T1 = "2026-11-20T10:00:00Z"
T2 = "2026-11-25T10:00:00Z"
AS_OF = "2026-11-28T23:00:00Z"
T3 = "2026-11-29T08:00:00Z"


@tagged("post_install", "-at_install")
class ReconcileCase(FinanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Difference = cls.env["construction.sync.difference"]
        cls.Run = cls.env["construction.sync.reconcile.run"]
        cls.Reconcile = cls.env["construction.sync.reconcile"]
        cls.env["construction.sync.event.setting"].search([("system_id", "=", cls.system.id)]).write(
            {"requires_approval": False})

    def upsert(self, external_id, name, value, timestamp=T1, apply=True, **extra):
        event = self.deliver("project.upserted", {"id": external_id, "name": name, "contract_value": value},
                             timestamp=timestamp, **extra)
        if apply:
            self.Processor._process_now(event)
            self.assertEqual(event.state, "done", event.error_message)
        return event

    def snapshot(self, objects, snapshot_id="S-1128", page=1, pages=1, as_of=AS_OF):
        event = self.deliver("project.snapshot", {"snapshot_id": snapshot_id, "as_of": as_of, "page": page,
                                                  "pages": pages, "objects": objects}, timestamp=as_of)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        return self.Run.search([("system_id", "=", self.system.id), ("snapshot_id", "=", snapshot_id)])

    def differences(self, **domain):
        return self.Difference.search([("system_id", "=", self.system.id)] +
                                      [(k, "=", v) for k, v in domain.items()], order="external_id, field_name")

    def mapped_project(self, external_id):
        mapping = self.Mapping._find(self.system, "project.project", external_id)
        return self.env["project.project"].browse(mapping.res_id)


class TestDifferenceKinds(ReconcileCase):
    def test_worked_snapshot(self):
        """Odoo applied P-100 (4 850 000.00), P-300 and P-500 at T1, P-400 at T3 (after the
        snapshot was taken). The snapshot as of Nov 28 says: P-100 4 900 000.00 at T1 (a manual
        edit that fired no event), P-200 (never arrived), P-500 changed at T2 (its event was
        lost); it does not carry P-300 (deleted at the source) nor P-400."""
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.upsert("P-300", "Old Depot", 120000.00)
        self.upsert("P-500", "Harbor Bridge", 2000000.00)
        self.upsert("P-400", "New School", 900000.00, timestamp=T3)
        run = self.snapshot([
            {"id": "P-100", "version": T1, "values": {"name": "Riverside MOB", "contract_value": 4900000.00}},
            {"id": "P-200", "version": T2, "values": {"name": "Hillside Clinic", "contract_value": 310000.00}},
            {"id": "P-500", "version": T2, "values": {"name": "Harbor Bridge", "contract_value": 2150000.00}},
        ])
        self.assertEqual(run.state, "done")
        self.assertEqual(run.compared, 3)
        found = [(d.external_id, d.kind, d.field_name or "", d.source_value or "", d.odoo_value or "")
                 for d in self.differences()]
        self.assertEqual(found, [
            ("P-100", "value_mismatch", "contract_value", "4900000.0", "4850000.0"),
            ("P-200", "missing_in_odoo", "", "", ""),
            ("P-300", "unknown_at_source", "", "", ""),
            ("P-500", "older_in_odoo", "contract_value", '{"contract_value": 2150000.0}',
             '{"contract_value": 2000000.0}'),
        ])
        self.assertEqual((run.value_mismatch_count, run.missing_in_odoo_count, run.unknown_at_source_count,
                          run.older_in_odoo_count, run.difference_count), (1, 1, 1, 1, 4))
        older = self.differences(kind="older_in_odoo")
        self.assertEqual(older.source_version, datetime(2026, 11, 25, 10))
        self.assertEqual(older.odoo_version, datetime(2026, 11, 20, 10))
        self.assertEqual(older.error_class, "reconciliation")
        self.assertEqual(self.differences(kind="unknown_at_source").record_ref, self.mapped_project("P-300"))

    def test_cents_agree(self):
        """Amounts are compared to the cent: 4 850 000.004 at the source is Odoo's 4 850 000.00."""
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.snapshot([{"id": "P-100", "version": T1, "values": {"contract_value": 4850000.004}}])
        self.assertFalse(self.differences())

    def test_queued_event_no_false_difference(self):
        """The platform sent P-100's new value at T2 and its snapshot (version T2) arrives while that
        event is still queued: the queued event brings the version the snapshot carries, so no
        difference; once the event is applied, a new snapshot agrees."""
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        queued = self.upsert("P-100", "Riverside MOB", 4900000.00, timestamp=T2, apply=False)
        self.assertEqual(queued.state, "pending")
        run = self.snapshot([{"id": "P-100", "version": T2,
                              "values": {"name": "Riverside MOB", "contract_value": 4900000.00}}])
        self.assertEqual((run.compared, run.skipped, run.difference_count), (1, 1, 0))
        self.assertFalse(self.differences())
        # A queued event about an object Odoo does not have yet: not missing either.
        self.upsert("P-200", "Hillside Clinic", 310000.00, timestamp=T2, apply=False)
        self.snapshot([{"id": "P-100", "version": T2, "values": {}}, {"id": "P-200", "version": T2, "values": {}}],
                      snapshot_id="S-1128b")
        self.assertFalse(self.differences())
        # The queue drained, the next snapshot compares and agrees.
        self.Processor._process_now(queued)
        self.assertEqual(queued.state, "done")
        run = self.snapshot([{"id": "P-100", "version": T2, "values": {"contract_value": 4900000.00}}],
                            snapshot_id="S-1129")
        self.assertEqual((run.compared, run.skipped, run.difference_count), (1, 0, 0))

    def test_odoo_newer_than_snapshot(self):
        """Odoo applied an update after the snapshot's version of the object: not compared."""
        self.upsert("P-100", "Riverside MOB", 4950000.00, timestamp=T3)
        run = self.snapshot([{"id": "P-100", "version": T2, "values": {"contract_value": 4900000.00}}])
        self.assertEqual(run.skipped, 1)
        self.assertFalse(self.differences())

    def test_pages_and_replay(self):
        """Two pages: objects only in Odoo are named once both arrived; a replayed page is not
        compared twice; a later snapshot resolves what it no longer shows."""
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.upsert("P-300", "Old Depot", 120000.00)
        run = self.snapshot([{"id": "P-200", "version": T2, "values": {"name": "Hillside Clinic"}}], pages=2)
        self.assertEqual(run.state, "receiving")
        self.assertEqual(self.differences().mapped("kind"), ["missing_in_odoo"])
        page2 = self.deliver("project.snapshot", {"snapshot_id": "S-1128", "as_of": AS_OF, "page": 2, "pages": 2,
                                                  "objects": [{"id": "P-100", "version": T1, "values": {}}]},
                             timestamp=AS_OF)
        self.Processor._process_now(page2)
        self.assertEqual(run.state, "done")
        self.assertEqual(run.compared, 2)
        self.assertEqual([(d.external_id, d.kind) for d in self.differences()],
                         [("P-200", "missing_in_odoo"), ("P-300", "unknown_at_source")])
        page2.with_user(self.user_manager).action_replay()
        self.Processor._process_now(page2)
        self.assertEqual(run.compared, 2)
        self.env.cr.execute("SELECT count(*) FROM construction_sync_reconcile_seen WHERE run_id = %s", (run.id,))
        self.assertEqual(self.env.cr.fetchone()[0], 0)
        # Next night P-300 is back at the source and P-200 arrived: both resolve.
        self.upsert("P-200", "Hillside Clinic", 310000.00, timestamp=T2)
        self.snapshot([{"id": "P-100", "version": T1, "values": {}}, {"id": "P-200", "version": T2, "values": {}},
                       {"id": "P-300", "version": T1, "values": {}}], snapshot_id="S-1129")
        self.assertEqual(set(self.differences().mapped("state")), {"resolved"})

    def test_bad_pages(self):
        """A page dated otherwise than its snapshot, or with another page count, is refused with a
        sentence; nothing is compared."""
        event = self.deliver("project.snapshot", {"snapshot_id": "S-9", "as_of": AS_OF, "page": 1, "pages": 1,
                                                  "objects": []}, timestamp=T2)
        self.Processor._process_now(event)
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("must carry the snapshot's as_of", event.error_message)
        self.snapshot([], snapshot_id="S-10", pages=2)
        event = self.deliver("project.snapshot", {"snapshot_id": "S-10", "as_of": AS_OF, "page": 2, "pages": 3,
                                                  "objects": []}, timestamp=AS_OF)
        self.Processor._process_now(event)
        self.assertIn("announced with 2 pages", event.error_message)
        status, reply = self.receive("project.snapshot", {"snapshot_id": "S-11", "as_of": AS_OF, "page": 1,
                                                          "pages": 1, "objects": [{"id": "P-1"}]}, timestamp=AS_OF)
        self.assertEqual((status, reply["error"]["code"]), (422, "invalid_payload"))


class TestActions(ReconcileCase):
    def setUp(self):
        super().setUp()
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.upsert("P-300", "Old Depot", 120000.00)
        self.snapshot([
            {"id": "P-100", "version": T1, "values": {"name": "Riverside MOB", "contract_value": 4900000.00}},
            {"id": "P-200", "version": T2, "values": {"name": "Hillside Clinic", "contract_value": 310000.00}},
        ])
        self.mismatch = self.differences(kind="value_mismatch").with_user(self.finance_manager)
        self.missing = self.differences(kind="missing_in_odoo").with_user(self.finance_manager)
        self.unknown = self.differences(kind="unknown_at_source").with_user(self.finance_manager)

    def test_take_source_values(self):
        """Applied through project.upserted as an event of the system, dated with the snapshot's
        version, its audit trail naming the person; the mapping's watermark does not move back."""
        self.mismatch.action_take_source()
        project = self.mapped_project("P-100")
        self.assertEqual(project.original_contract_value, 4900000.00)
        self.assertEqual(self.mismatch.state, "taken")
        event = self.mismatch.event_id
        self.assertEqual((event.event_type, event.state, event.source_timestamp),
                         ("project.upserted", "done", datetime(2026, 11, 20, 10)))
        self.assertEqual(json.loads(event.payload)["data"],
                         {"id": "P-100", "name": "Riverside MOB", "contract_value": 4900000.0})
        notes = event.audit_ids.filtered(lambda a: a.action == "note")
        self.assertIn("csync_finance_manager", notes.user_id.login)
        self.assertIn("take the source's values", notes.message)
        self.assertEqual(self.mismatch.resolved_by, self.finance_manager)
        self.assertIn("applied by event %s" % event.webhook_id, self.mismatch.resolution)
        # Missing in Odoo: the snapshot carries a name, so the project is created and mapped.
        self.missing.action_take_source()
        self.assertEqual(self.mapped_project("P-200").original_contract_value, 310000.00)
        self.assertEqual(self.missing.state, "taken")
        with self.assertRaisesRegex(UserError, "the source holds nothing to take"):
            self.unknown.action_take_source()

    def test_keep_odoo_without_and_with_subscription(self):
        self.mismatch.action_keep_odoo()
        self.assertEqual(self.mismatch.state, "kept")
        self.assertIn("no subscription wants reconciliation.value_kept", self.mismatch.resolution)
        self.assertEqual(self.mapped_project("P-100").original_contract_value, 4850000.00)
        self.env["construction.sync.subscription"].create({
            "name": "Platform", "system_id": self.system.id, "endpoint_url": "https://platform.example/hooks",
            "event_types": "reconciliation.value_kept"})
        self.unknown.action_keep_odoo()
        message = self.env["construction.sync.outbox"].search([("event_type", "=", "reconciliation.value_kept")])
        self.assertEqual(len(message), 1)
        data = json.loads(message.payload)["data"]
        # construction_contract, when installed, adds approved_changes to a project's values.
        self.assertEqual((data["object_external_id"], data["kind"], data["odoo_values"]["name"],
                          data["odoo_values"]["contract_value"]), ("P-300", "unknown_at_source", "Old Depot", 120000.0))
        self.assertIn("published to Field Platform", self.unknown.resolution)
        with self.assertRaisesRegex(UserError, "already settled"):
            self.unknown.action_keep_odoo()

    def test_resend(self):
        """Without a subscription: a note says nobody was asked and the difference stays open;
        with one, an outbound request."""
        self.missing.action_request_resend()
        self.assertEqual(self.missing.state, "open")
        self.assertIn("ask the system's team directly", self.missing.message_ids[0].body)
        self.env["construction.sync.subscription"].create({
            "name": "Platform", "system_id": self.system.id, "endpoint_url": "https://platform.example/hooks",
            "event_types": "reconciliation.resend_requested"})
        self.missing.action_request_resend()
        self.assertEqual(self.missing.state, "resend_requested")
        message = self.env["construction.sync.outbox"].search([("event_type", "=", "reconciliation.resend_requested")])
        self.assertEqual(json.loads(message.payload)["data"]["object_external_id"], "P-200")

    def test_ignore_and_rights(self):
        with self.assertRaisesRegex(UserError, "Say why"):
            self.unknown.action_ignore(" ")
        self.unknown.action_ignore("Closed out at the source, archived here next week")
        self.assertEqual(self.unknown.state, "ignored")
        self.assertIn("Closed out at the source", self.unknown.resolution)
        with self.assertRaisesRegex(UserError, "Only integration managers"):
            self.mismatch.with_user(self.accountant).action_keep_odoo()
        self.assertEqual(self.mismatch.state, "open")


class TestCompanies(ReconcileCase):
    def test_isolation(self):
        """Another company's system has its own runs and differences: its mappings are not
        compared with this company's snapshot, and its people do not see or settle ours."""
        other = self.env["res.company"].create({"name": "Northern Builders"})
        system_b = self.env["construction.sync.system"].create(
            {"name": "Field Platform (North)", "code": "field", "company_id": other.id})
        system_b.sudo().secret = "whsec_" + "b" * 32
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.snapshot([{"id": "P-200", "version": T2, "values": {"name": "Hillside Clinic"}}])
        self.assertEqual(sorted(self.differences().mapped("kind")), ["missing_in_odoo", "unknown_at_source"])
        self.assertFalse(self.Difference.search([("system_id", "=", system_b.id)]))
        north = new_test_user(self.env, login="rc_north", groups="construction_sync.group_manager",
                              company_id=other.id, company_ids=[(6, 0, [other.id])])
        self.assertFalse(self.Difference.with_user(north).search([]))
        ours = self.differences()
        with self.assertRaises(AccessError):
            ours.with_user(north).action_ignore("not mine")
        self.assertEqual(set(ours.mapped("state")), {"open"})
        north_view = self.env["construction.sync.reconcile"].with_user(north).get_reconciliation()
        systems = [s["system_id"] for s in north_view]
        self.assertEqual(systems, [system_b.id])
        with self.assertRaises(AccessError):
            self.env["construction.sync.reconcile"].with_user(north).get_reconciliation(system_id=self.system.id)
        with self.assertRaises(AccessError):
            self.env["construction.sync.reconcile"].with_user(self.construction_user).get_reconciliation()


class TestControlTotals(ReconcileCase):
    def test_gap_named(self):
        """The platform says it sent 3 projects on Nov 20 with contract values totalling
        400 000.00 (100 000.00 + 250 000.50 + 49 999.50); Odoo applied P-1 and P-2:
        2 / 350 000.50, P-3 missing."""
        self.upsert("P-1", "One", 100000.00, timestamp="2026-11-20T08:00:00Z")
        self.upsert("P-2", "Two", 250000.50, timestamp="2026-11-20T17:30:00Z")
        self.upsert("P-9", "Day before", 5.00, timestamp="2026-11-19T23:59:59Z")
        event = self.deliver("control_totals.reported", {
            "date": "2026-11-20", "event_type": "project.upserted", "count": 3, "amount": 400000.00,
            "ids": ["P-1", "P-2", "P-3"]}, timestamp=T3)
        self.Processor._process_now(event)
        total = self.env["construction.sync.control.total"].search([("system_id", "=", self.system.id)])
        self.assertEqual((total.sent_count, total.sent_amount, total.odoo_count, total.odoo_amount),
                         (3, 400000.00, 2, 350000.50))
        self.assertEqual(total.state, "gap")
        self.assertEqual(total.gap, "Field Platform sent 3 project.upserted totalling 400 000.00 on 2026-11-20; "
                                    "Odoo has 2 / 350 000.50: P-3 missing")
        # The missing one arrives; the platform reports again: they match.
        self.upsert("P-3", "Three", 49999.50, timestamp="2026-11-20T18:00:00Z")
        event = self.deliver("control_totals.reported", {
            "date": "2026-11-20", "event_type": "project.upserted", "count": 3, "amount": 400000.00,
            "ids": ["P-1", "P-2", "P-3"]}, timestamp=T3)
        self.Processor._process_now(event)
        self.assertEqual((total.odoo_count, total.odoo_amount, total.state), (3, 400000.00, "match"))


class TestSequences(ReconcileCase):
    def test_gap_after_grace(self):
        """The platform numbers its events: 1, 2, 5 arrive; 3 and 4 become an exception once the
        grace period has passed, and the gap closes when they arrive."""
        self.system.sequence_grace_minutes = 60
        for number in (1, 2, 5):
            body = json.dumps({"type": "project.upserted", "timestamp": T1, "sequence": number,
                               "data": {"id": "P-%d" % number, "name": "Job %d" % number}}).encode()
            status, reply = self.receive_raw(body)
            self.assertEqual(status, 202, reply)
        Gap = self.env["construction.sync.sequence.gap"]
        now = fields.Datetime.now()
        self.Reconcile._check_sequences(self.system, now=now + timedelta(minutes=30))
        self.assertFalse(Gap.search([("system_id", "=", self.system.id)]), "still within the grace period")
        self.Reconcile._check_sequences(self.system, now=now + timedelta(minutes=61))
        gap = Gap.search([("system_id", "=", self.system.id)])
        self.assertEqual((gap.first_missing, gap.last_missing, gap.missing, gap.state), (3, 4, "3, 4", "open"))
        for number in (3, 4):
            body = json.dumps({"type": "project.upserted", "timestamp": T1, "sequence": number,
                               "data": {"id": "P-%d" % number, "name": "Job %d" % number}}).encode()
            self.assertEqual(self.receive_raw(body)[0], 202)
        self.Reconcile._check_sequences(self.system, now=now + timedelta(minutes=90))
        self.assertEqual(gap.state, "filled")
        self.assertEqual(Gap.search_count([("system_id", "=", self.system.id), ("state", "=", "open")]), 0)


class TestSchedulesAndCockpit(ReconcileCase):
    def test_missing_snapshot_alert(self):
        schedule = self.env["construction.sync.reconcile.schedule"].create({
            "system_id": self.system.id, "object_type": "project", "interval": "daily", "hour_utc": 2,
            "grace_hours": 2})
        # Nov 30 09:00: the snapshot due Nov 30 02:00 (+2 h grace) never came.
        schedule._check(datetime(2026, 11, 30, 9))
        self.assertTrue(schedule.missing)
        self.assertTrue(self.system.reconcile_alert)
        activities = schedule.activity_ids
        self.assertIn(self.finance_manager, activities.user_id)
        self.assertIn("expected by 2026-11-30 02:00:00 UTC", activities[0].note)
        schedule._check(datetime(2026, 11, 30, 10))
        self.assertEqual(schedule.activity_ids, activities, "one alert per expected snapshot")
        self.snapshot([])
        self.assertFalse(schedule.missing)
        self.assertEqual(schedule.last_run_id.snapshot_id, "S-1128")

    def test_cockpit_figures(self):
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.snapshot([{"id": "P-100", "version": T1, "values": {"contract_value": 1.00}},
                       {"id": "P-200", "version": T2, "values": {}}])
        view = self.Reconcile.with_user(self.accountant).get_reconciliation(system_id=self.system.id)
        self.assertEqual(len(view), 1)
        card = view[0]
        self.assertEqual(card["last_run"]["compared"], 2)
        self.assertEqual(card["open_by_kind"], {"missing_in_odoo": 1, "unknown_at_source": 0, "older_in_odoo": 0,
                                                "value_mismatch": 1})
        self.assertEqual(card["open_by_age"]["under_1_day"], 2)
        self.assertEqual(len(card["trend"]), 30)
        self.assertEqual(card["trend"][-1]["found"], 2)
        self.assertEqual((card["missing_snapshots"], card["control_total_gaps"], card["sequence_gaps"]), (0, 0, 0))


class TestAlerts(ReconcileCase):
    """Gaps are to-dos for the integration managers: one per gap, done once settled."""

    def todos(self, record):
        return record.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("mail.mail_activity_data_todo"))

    def report(self, count, amount, ids):
        event = self.deliver("control_totals.reported", {
            "date": "2026-11-20", "event_type": "project.upserted", "count": count, "amount": amount,
            "ids": ids}, timestamp=T3)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        return self.env["construction.sync.control.total"].search([("system_id", "=", self.system.id)])

    def test_control_total_gap_todo(self):
        """2 sent (100 000.00 + 98 000.00 = 198 000.00), 1 applied: a to-do naming INV-2 for the
        finance manager; the same report replayed adds none; the agreeing report closes it."""
        self.upsert("INV-1", "One", 100000.00, timestamp="2026-11-20T08:00:00Z")
        total = self.report(2, 198000.00, ["INV-1", "INV-2"])
        todos = self.todos(total)
        self.assertIn(self.finance_manager, todos.user_id)
        self.assertNotIn(self.accountant, todos.user_id, "integration managers only")
        self.assertEqual(len(todos.filtered(lambda a: a.user_id == self.finance_manager)), 1)
        note = "Field Platform sent 2 project.upserted totalling 198 000.00 on 2026-11-20; " \
               "Odoo has 1 / 100 000.00: INV-2 missing"
        self.assertIn(note, todos[0].note)
        self.assertEqual(self.report(2, 198000.00, ["INV-1", "INV-2"]), total)
        self.assertEqual(self.todos(total), todos, "a replayed control total adds no second to-do")
        self.upsert("INV-2", "Two", 98000.00, timestamp="2026-11-20T09:00:00Z")
        self.report(2, 198000.00, ["INV-1", "INV-2"])
        self.assertEqual(total.state, "match")
        self.assertFalse(self.todos(total), "the agreeing control total marks the to-do done")
        self.assertIn("now agrees", total.message_ids[0].body)

    def test_manager_marks_todo_done(self):
        """Control totals are read-only to integration managers; their to-do is theirs to close."""
        total = self.report(1, 5.00, ["INV-9"])
        todo = self.todos(total).filtered(lambda a: a.user_id == self.finance_manager)
        todo.with_user(self.finance_manager).action_feedback(feedback="Asked FieldLink to resend INV-9")
        self.assertFalse(self.todos(total).filtered(lambda a: a.user_id == self.finance_manager))
        self.assertIn("Asked FieldLink to resend INV-9", total.message_ids[0].body)

    def test_sequence_gap_todo(self):
        self.system.sequence_grace_minutes = 60
        for number in (1, 3):
            body = json.dumps({"type": "project.upserted", "timestamp": T1, "sequence": number,
                               "data": {"id": "P-%d" % number, "name": "Job %d" % number}}).encode()
            self.assertEqual(self.receive_raw(body)[0], 202)
        now = fields.Datetime.now()
        self.Reconcile._check_sequences(self.system, now=now + timedelta(minutes=61))
        gap = self.env["construction.sync.sequence.gap"].search([("system_id", "=", self.system.id)])
        todos = self.todos(gap)
        self.assertIn(self.finance_manager, todos.user_id)
        self.assertIn("numbered events 2 that never arrived", todos[0].note)
        self.Reconcile._check_sequences(self.system, now=now + timedelta(minutes=62))
        self.assertEqual(self.todos(gap), todos)
        body = json.dumps({"type": "project.upserted", "timestamp": T1, "sequence": 2,
                           "data": {"id": "P-2", "name": "Job 2"}}).encode()
        self.assertEqual(self.receive_raw(body)[0], 202)
        self.Reconcile._check_sequences(self.system, now=now + timedelta(minutes=90))
        self.assertEqual(gap.state, "filled")
        self.assertFalse(self.todos(gap))

    def test_missing_snapshot_todo_done_on_arrival(self):
        schedule = self.env["construction.sync.reconcile.schedule"].create({
            "system_id": self.system.id, "object_type": "project", "interval": "daily", "hour_utc": 2,
            "grace_hours": 2})
        schedule._check(datetime(2026, 11, 30, 9))
        self.assertTrue(self.todos(schedule))
        self.snapshot([])
        self.assertFalse(self.todos(schedule), "the snapshot's arrival marks the alert done")


class TestSideBySide(ReconcileCase):
    """The cockpit's comparison of both sides of a difference (get_sides), with its actions."""

    def setUp(self):
        super().setUp()
        self.upsert("P-100", "Riverside MOB", 4850000.00)
        self.upsert("P-300", "Old Depot", 120000.00)
        self.snapshot([
            {"id": "P-100", "version": T1, "values": {"name": "Riverside MOB", "contract_value": 4900000.00}},
            {"id": "P-200", "version": T2, "values": {"name": "Hillside Clinic", "contract_value": 310000.00}},
        ])

    def rows(self, sides):
        return {row["field"]: (row["source"], row["odoo"], row["mismatch"]) for row in sides["rows"]}

    def test_value_mismatch_sides(self):
        mismatch = self.differences(kind="value_mismatch")
        sides = self.Difference.with_user(self.finance_manager).get_sides(mismatch.id)
        rows = self.rows(sides)
        self.assertEqual(rows["name"], ("Riverside MOB", "Riverside MOB", False))
        self.assertEqual(rows["contract_value"], ("4 900 000.00", "4 850 000.00", True))
        self.assertEqual(rows["version"], ("2026-11-20 10:00:00", "2026-11-20 10:00:00", False))
        project = self.mapped_project("P-100")
        self.assertEqual(sides["record"], {"model": "project.project", "id": project.id, "name": "Riverside MOB"})
        self.assertEqual(sides["actions"], {"resend": True, "take": True, "keep": True, "ignore": True})
        # An integration user sees both sides but settles nothing.
        sides = self.Difference.with_user(self.accountant).get_sides(mismatch.id)
        self.assertEqual(sides["actions"], {"resend": False, "take": False, "keep": False, "ignore": False})
        # Once taken, the same call shows the outcome: Odoo now holds the source's value.
        mismatch.with_user(self.finance_manager).action_take_source()
        sides = self.Difference.with_user(self.finance_manager).get_sides(mismatch.id)
        self.assertEqual((sides["state"], self.rows(sides)["contract_value"]),
                         ("taken", ("4 900 000.00", "4 900 000.00", False)))
        name = self.finance_manager.name
        self.assertEqual(sides["resolution"], "%s took Field Platform's values for P-100, applied by event %s."
                         % (name, mismatch.event_id.webhook_id))
        self.assertIn("%s took" % name, sides["last_note"])
        self.assertFalse(any(sides["actions"].values()))

    def test_one_sided(self):
        missing = self.differences(kind="missing_in_odoo")
        sides = self.Difference.with_user(self.finance_manager).get_sides(missing.id)
        self.assertIsNone(sides["record"])
        self.assertEqual(self.rows(sides)["contract_value"], ("310 000.00", "", True))
        self.assertEqual((sides["actions"]["take"], sides["actions"]["keep"]), (True, False))
        unknown = self.differences(kind="unknown_at_source")
        sides = self.Difference.with_user(self.finance_manager).get_sides(unknown.id)
        self.assertEqual(self.rows(sides)["contract_value"], ("", "120 000.00", True))
        self.assertEqual((sides["actions"]["take"], sides["actions"]["keep"]), (False, True))
        listed = self.Difference.with_user(self.accountant).get_open_differences(system_id=self.system.id)
        self.assertEqual(listed["total"], 3)
        self.assertEqual(sorted(row["external_id"] for row in listed["rows"]), ["P-100", "P-200", "P-300"])

    def test_companies_and_rights(self):
        other = self.env["res.company"].create({"name": "Northern Builders"})
        north = new_test_user(self.env, login="rc_north_sides", groups="construction_sync.group_manager",
                              company_id=other.id, company_ids=[(6, 0, [other.id])])
        mismatch = self.differences(kind="value_mismatch")
        with self.assertRaises(AccessError):
            self.Difference.with_user(north).get_sides(mismatch.id)
        self.assertEqual(self.Difference.with_user(north).get_open_differences()["total"], 0)
        with self.assertRaises(AccessError):
            self.Difference.with_user(north).get_open_differences(system_id=self.system.id)
        with self.assertRaises(AccessError):
            self.Difference.with_user(self.construction_user).get_sides(mismatch.id)
