import json

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import SyncCase

from .common import CONTACT, CONTACT_MODEL, SITE, SITE_MODEL

SITE_DATA = {"id": "P-77", "name": "Cockpit Job", "customer_id": "C-77"}


@tagged("post_install", "-at_install")
class TestCockpitQueries(SyncCase):
    def setUp(self):
        super().setUp()
        self.Cockpit = self.env["construction.sync.cockpit"]
        self.waiting = self.deliver(SITE, SITE_DATA)
        self.deliver(CONTACT, {"id": "C-1", "name": "Cockpit Customer", "kind": "customer"})
        self.queued = self.deliver(CONTACT, {"id": "C-2", "name": "Queued", "kind": "vendor"})
        self.drain()
        self.queued = self.deliver(CONTACT, {"id": "C-3", "name": "Still queued", "kind": "vendor"})

    def test_overview_counts_per_system(self):
        overview = self.Cockpit.with_user(self.user_integration).get_overview()
        self.assertFalse(overview["is_manager"])
        health = next(s for s in overview["systems"] if s["id"] == self.system.id)
        self.assertEqual(
            {k: health[k] for k in ("received_24h", "failed_24h", "queue_depth", "awaiting_approval", "open_failures")},
            {"received_24h": 4, "failed_24h": 1, "queue_depth": 1, "awaiting_approval": 0, "open_failures": 1},
        )
        self.assertEqual(health["error_rate"], 25.0)
        self.assertTrue(health["alert"], "25 % failures is above the 5 % threshold")
        self.assertTrue(self.Cockpit.with_user(self.user_manager).get_overview()["is_manager"])

    def test_exceptions_page_filters_and_searches(self):
        page = self.Cockpit.get_exceptions(system_id=self.system.id)
        self.assertEqual(page["total"], 1)
        self.assertEqual(page["rows"][0]["object_key"], "%s:P-77" % SITE_MODEL)
        self.assertEqual(page["rows"][0]["error_class"], "data")
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, error_class="business")["total"], 0)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, search="P-77")["total"], 1)
        self.assertEqual(self.Cockpit.get_exceptions(search=self.waiting.webhook_id)["total"], 1)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, event_type=SITE)["total"], 1)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, event_type=CONTACT)["total"], 0)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, older_than_hours=24)["total"], 0)
        self.waiting.sudo().received_at = "2020-01-01 00:00:00"
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, older_than_hours=24)["total"], 1)
        oldest_first = self.Cockpit.get_exceptions(order="received_asc", limit=1)["rows"][0]
        self.assertEqual(oldest_first["id"], self.waiting.id)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, search="P-7")["total"], 0,
                         "exact ids: a prefix is not a match")

    def test_retry_from_the_cockpit_applies_once_the_mapping_is_fixed(self):
        self.Mapping.with_user(self.user_manager).create({
            "system_id": self.system.id, "res_model": CONTACT_MODEL, "external_id": "C-77",
            "res_id": self.env[CONTACT_MODEL].create({"name": "Mapped late"}).id,
        })
        # The new mapping already released it; a retry of a released event is refused cleanly.
        self.assertEqual(self.waiting.state, "pending")
        self.drain()
        self.assertEqual(self.waiting.state, "done")
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id)["total"], 0)

    def test_actions_answer_with_each_outcome_and_keep_the_rights_of_the_native_views(self):
        as_user = self.Cockpit.with_user(self.user_integration)
        result = as_user.act("retry", self.waiting.ids)
        self.assertEqual(result, [{"id": self.waiting.id, "state": "failed",
                                   "error_message": self.waiting.error_message}])
        as_user.act("assign_me", self.waiting.ids)
        as_user.act("note", self.waiting.ids, "called the PM")
        self.assertEqual(self.waiting.user_id, self.user_integration)
        self.assertEqual(as_user.get_exceptions(assignee="me")["total"], 1)
        self.assertEqual(as_user.get_exceptions(assignee="nobody", system_id=self.system.id)["total"], 0)
        with self.assertRaises(UserError):
            as_user.act("ignore", self.waiting.ids, "not ours")
        self.Cockpit.with_user(self.user_manager).act("ignore", self.waiting.ids, "not ours")
        self.assertEqual(self.waiting.state, "ignored")
        with self.assertRaises(UserError):
            as_user.act("explode", self.waiting.ids)

    def test_event_detail_shows_the_waiting_mapping_and_hides_tracebacks_from_users(self):
        detail = self.Cockpit.with_user(self.user_integration).get_event(self.waiting.id)
        self.assertEqual(detail["waiting_for"], {"model": CONTACT_MODEL, "external_id": "C-77"})
        self.assertIn('"customer_id": "C-77"', detail["payload"])
        self.assertEqual([a["action"] for a in detail["audit"]], ["Failed", "Claimed"])
        self.assertIsNone(detail["traceback"])
        self.assertIsNone(detail["record"])

    def test_plain_users_cannot_use_the_cockpit(self):
        with self.assertRaises(AccessError):
            self.Cockpit.with_user(self.user_plain).get_overview()

    def test_rows_say_states_classes_and_objects_as_odoo_names_them(self):
        row, = self.Cockpit.with_user(self.user_integration).get_exceptions(system_id=self.system.id)["rows"]
        self.assertEqual((row["state"], row["state_label"]), ("failed", "Failed"))
        self.assertEqual((row["error_class"], row["error_class_label"]), ("data", "Data"))
        # Nothing is mapped to P-77 yet: the model's name and the platform's id.
        self.assertEqual((row["object_label"], row["external_id"]), ("Sync Test Site P-77", "P-77"))
        self.assertIsNone(row["amount"], "not an approval item")
        # Once an object is mapped, its record's own name; the platform's id stays beside it.
        site = self.env[SITE_MODEL].create({"name": "Riverside Site"})
        self.Mapping.create({"system_id": self.system.id, "res_model": SITE_MODEL, "external_id": "P-77",
                             "res_id": site.id})
        row, = self.Cockpit.get_exceptions(system_id=self.system.id)["rows"]
        self.assertEqual((row["object_label"], row["external_id"]), ("Sync Test Site Riverside Site", "P-77"))

    def test_the_outcome_of_a_bulk_retry_is_followed_to_its_end(self):
        # 25 failing events: more than a request applies itself, so the runners get them.
        failing = self.waiting
        for index in range(24):
            failing |= self.deliver(SITE, {"id": "P-9%02d" % index, "name": "Job %s" % index, "customer_id": "C-77"})
        self.drain()
        self.assertEqual(set(failing.mapped("state")), {"failed"})
        as_user = self.Cockpit.with_user(self.user_integration)
        results = as_user.act("retry", failing.ids, skip_ineligible=True)
        self.assertEqual({r["state"] for r in results}, {"pending"}, "handed to the runners, not applied inline")
        self.drain()
        # As if the runners had not reached five of them yet: the end is not told before they have.
        self.env.flush_all()
        self.env.cr.execute("UPDATE construction_sync_event SET state = 'pending' WHERE id = ANY(%s)",
                            (failing[:5].ids,))
        outcome = as_user.get_outcome(failing.ids)
        self.assertEqual((outcome["total"], outcome["running"], outcome["states"]),
                         (25, 5, {"failed": 20, "pending": 5}))
        self.env.cr.execute("UPDATE construction_sync_event SET state = 'failed' WHERE id = ANY(%s)",
                            (failing[:5].ids,))
        outcome = as_user.get_outcome(failing.ids)
        self.assertEqual((outcome["total"], outcome["running"], outcome["states"]), (25, 0, {"failed": 25}))
        reason, = outcome["reasons"]
        self.assertEqual((reason["error_class"], reason["error_class_label"], reason["count"]), ("data", "Data", 25))
        self.assertIn("C-77", reason["message"])

    def test_the_approvals_view_lists_only_items_awaiting_approval(self):
        self.system.setting_ids.filtered(lambda s: s.event_type == CONTACT).requires_approval = True
        approval = self.deliver(CONTACT, {"id": "C-50", "name": "Needs a yes", "kind": "vendor"})
        self.drain()
        self.assertEqual(approval.state, "awaiting_approval")
        page = self.Cockpit.get_exceptions(system_id=self.system.id, state="awaiting_approval")
        # The contact queued in setUp waits for approval too.
        self.assertEqual(sorted(row["id"] for row in page["rows"]), sorted((approval | self.queued).ids))
        self.assertEqual(page["rows"][0]["state_label"], "Awaiting Approval")
        self.assertIsNone(page["rows"][0]["amount"], "the test event type names no amount")
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id)["total"], 3,
                         "the exceptions view still lists the failure and the approval item")


@tagged("post_install", "-at_install")
class TestCockpitTrends(SyncCase):
    """Trends come from the hourly rollup plus the current hour counted live."""

    def setUp(self):
        super().setUp()
        self.Cockpit = self.env["construction.sync.cockpit"]
        self.failed = self.deliver(SITE, SITE_DATA)
        self.done = self.deliver(CONTACT, {"id": "C-9", "name": "Trend Customer", "kind": "customer"})
        self.drain()

    def _move_to(self, events, hours_ago):
        events.flush_recordset()
        self.env.cr.execute(
            "UPDATE construction_sync_event SET received_at = date_trunc('hour', now() at time zone 'utc')"
            " - make_interval(hours => %s) + interval '5 minutes' WHERE id = ANY(%s)",
            (hours_ago, events.ids),
        )
        events.invalidate_recordset(["received_at"])

    def _counts(self, trends):
        return {(row["hour"][11:13], row["state"]): row["count"] for row in trends["by_hour"]}

    def test_current_hour_is_counted_live_and_closed_hours_from_the_rollup(self):
        trends = self.Cockpit.with_user(self.user_integration).get_trends(7, system_id=self.system.id)
        self.assertEqual(trends["days"], 7)
        self.assertEqual(sorted(r["state"] for r in trends["by_hour"]), ["done", "failed"])
        self.assertEqual(trends["by_error_class"], [{"key": "data", "count": 1}])
        self.assertEqual(trends["by_event_type"], [{"key": SITE, "count": 1}])

        # As if the hour had closed since: the events belong to a past hour nobody rolled up.
        self._move_to(self.failed | self.done, 3)
        self.env["ir.config_parameter"].set_param("construction_sync.hourly_rolled_until", False)
        self.env["construction.sync.event.hourly"]._rollup()
        rolled = self.env["construction.sync.event.hourly"].search([("system_id", "=", self.system.id)])
        self.assertEqual(sorted((r.state, r.error_class, r.count) for r in rolled),
                         [("done", "", 1), ("failed", "data", 1)])
        trends = self.Cockpit.get_trends(7, system_id=self.system.id)
        self.assertEqual(sum(r["count"] for r in trends["by_hour"]), 2)
        self.assertEqual({r["hour"] for r in trends["by_hour"]}, {rolled[0].hour.strftime("%Y-%m-%d %H:%M:%S")})

    def test_a_later_state_change_is_counted_again_in_its_closed_hour(self):
        self._move_to(self.failed | self.done, 5)
        self.env["construction.sync.event.hourly"]._rollup()
        # The mapping arrives; the failed event is released and applied: no failure remains.
        self.Mapping.create({
            "system_id": self.system.id, "res_model": CONTACT_MODEL, "external_id": "C-77",
            "res_id": self.env[CONTACT_MODEL].create({"name": "Late"}).id,
        })
        self.drain()
        self.assertEqual(self.failed.state, "done")
        trends = self.Cockpit.get_trends(30, system_id=self.system.id)
        self.assertEqual(trends["days"], 30)
        self.assertEqual([(r["state"], r["count"]) for r in trends["by_hour"]], [("done", 2)])
        self.assertEqual(trends["by_error_class"], [])

    def test_trends_follow_the_record_rules_and_the_cockpit_rights(self):
        other = self.env["res.company"].create({"name": "Other Builder"})
        self.assertEqual(
            self.Cockpit.with_user(self.user_integration).with_company(self.company).get_trends(7)["days"], 7)
        self.user_integration.write({"company_ids": [Command.set([other.id])], "company_id": other.id})
        trends = self.Cockpit.with_user(self.user_integration).get_trends(7)
        self.assertEqual(trends["by_hour"], [], "events of another company are not counted")
        with self.assertRaises(AccessError):
            self.Cockpit.with_user(self.user_plain).get_trends(7)


@tagged("post_install", "-at_install")
class TestCockpitBulk(SyncCase):
    """Select all matching, act in chunks, replay a range, tell open cockpits."""

    def setUp(self):
        super().setUp()
        self.Cockpit = self.env["construction.sync.cockpit"]
        self.failures = self.Event
        for n in range(5):
            self.failures |= self.deliver(SITE, {"id": "P-%s" % n, "name": "Job %s" % n, "customer_id": "C-404"})
        self.deliver(CONTACT, {"id": "C-5", "name": "Fine", "kind": "customer"})
        self.drain()

    def _bus_messages(self):
        # The bus writes its rows in a pre-commit hook; a flush runs it without committing.
        self.env.cr.flush()
        return self.env["bus.bus"].sudo().search([("message", "like", "construction_sync/changed")])

    def test_all_matching_ids_are_the_filtered_exceptions_oldest_first(self):
        as_user = self.Cockpit.with_user(self.user_integration)
        ids = as_user.get_exception_ids(system_id=self.system.id)
        self.assertEqual(ids, self.failures.sorted(lambda e: (e.received_at, e.id)).ids)
        self.assertEqual(as_user.get_exception_ids(system_id=self.system.id, event_type=CONTACT), [])
        self.assertEqual(as_user.get_exception_ids(search="P-3"), self.failures[3].ids)
        with self.assertRaises(AccessError):
            self.Cockpit.with_user(self.user_plain).get_exception_ids()

    def test_a_bulk_chunk_skips_events_that_left_the_action_states(self):
        as_user = self.Cockpit.with_user(self.user_integration)
        self.Cockpit.with_user(self.user_manager).act("ignore", self.failures[:2].ids, "duplicates")
        with self.assertRaises(UserError):
            as_user.act("retry", self.failures.ids)
        result = as_user.act("retry", self.failures.ids, skip_ineligible=True)
        self.assertEqual([r["id"] for r in result], self.failures[2:].ids)
        self.assertEqual(set(self.failures.mapped("state")), {"ignored", "failed"})
        self.assertEqual(len(as_user.act("assign_me", self.failures.ids, skip_ineligible=True)), 5)
        with self.assertRaises(UserError):
            as_user.act("ignore", self.failures[2:].ids, "not mine", skip_ineligible=True)

    def test_a_manager_replays_a_range_and_a_user_cannot(self):
        self.failures[:2].sudo().write({"received_at": "2026-01-10 10:00:00"})
        with self.assertRaises(AccessError):
            self.Cockpit.with_user(self.user_integration).replay_range(
                self.system.id, "2026-01-10 00:00:00", "2026-01-11 00:00:00")
        result = self.Cockpit.with_user(self.user_manager).replay_range(
            self.system.id, "2026-01-10 00:00:00", "2026-01-11 00:00:00", event_type=SITE,
            reason="customer imported")
        self.assertEqual(result, {"replayed": 2})
        replays = self.failures[:2].mapped("audit_ids").filtered(lambda a: a.action == "replay")
        self.assertEqual(replays.mapped("message"),
                         ["Replay by %s: customer imported" % self.user_manager.name] * 2)
        with self.assertRaises(UserError):
            self.Cockpit.with_user(self.user_manager).replay_range(
                self.system.id, "2026-01-10 00:00:00", "2026-01-11 00:00:00", event_type=CONTACT)

    def test_open_cockpits_hear_once_per_drain_and_never_per_delivery(self):
        before = self._bus_messages()
        for n in range(3):
            self.deliver(SITE, {"id": "P-1%s" % n, "name": "Job", "customer_id": "C-404"})
        self.assertEqual(self._bus_messages(), before, "a delivery announces nothing")
        self.drain()
        new = self._bus_messages() - before
        self.assertEqual(len(new), 1)
        self.assertIn('"system_ids":[%s]' % self.system.id, new.message)
        # The cockpit channel of the events' company (see test_company_isolation).
        self.assertEqual(json.loads(new.channel),
                         [self.env.cr.dbname, "res.company", self.company.id, "construction_sync.cockpit"])
