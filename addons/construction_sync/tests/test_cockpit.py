from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SyncCase

PROJECT = {"id": "P-77", "name": "Cockpit Job", "customer_id": "C-77"}


@tagged("post_install", "-at_install")
class TestCockpitQueries(SyncCase):
    def setUp(self):
        super().setUp()
        self.Cockpit = self.env["construction.sync.cockpit"]
        self.waiting = self.deliver("project.upserted", PROJECT)
        self.deliver("partner.upserted", {"id": "C-1", "name": "Cockpit Customer", "kind": "customer"})
        self.queued = self.deliver("partner.upserted", {"id": "C-2", "name": "Queued", "kind": "vendor"})
        self.drain()
        self.queued = self.deliver("partner.upserted", {"id": "C-3", "name": "Still queued", "kind": "vendor"})

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
        self.assertEqual(page["rows"][0]["object_key"], "project.project:P-77")
        self.assertEqual(page["rows"][0]["error_class"], "data")
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, error_class="business")["total"], 0)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, search="P-77")["total"], 1)
        self.assertEqual(self.Cockpit.get_exceptions(search=self.waiting.webhook_id)["total"], 1)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, event_type="project.upserted")["total"], 1)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, event_type="partner.upserted")["total"], 0)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, older_than_hours=24)["total"], 0)
        self.waiting.sudo().received_at = "2020-01-01 00:00:00"
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, older_than_hours=24)["total"], 1)
        oldest_first = self.Cockpit.get_exceptions(order="received_asc", limit=1)["rows"][0]
        self.assertEqual(oldest_first["id"], self.waiting.id)
        self.assertEqual(self.Cockpit.get_exceptions(system_id=self.system.id, search="P-7")["total"], 0,
                         "exact ids: a prefix is not a match")

    def test_retry_from_the_cockpit_applies_once_the_mapping_is_fixed(self):
        self.Mapping.with_user(self.user_manager).create({
            "system_id": self.system.id, "res_model": "res.partner", "external_id": "C-77",
            "res_id": self.env["res.partner"].create({"name": "Mapped late"}).id,
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
        self.assertEqual(detail["waiting_for"], {"model": "res.partner", "external_id": "C-77"})
        self.assertIn('"customer_id": "C-77"', detail["payload"])
        self.assertEqual([a["action"] for a in detail["audit"]], ["Failed", "Claimed"])
        self.assertIsNone(detail["traceback"])
        self.assertIsNone(detail["record"])

    def test_plain_users_cannot_use_the_cockpit(self):
        with self.assertRaises(AccessError):
            self.Cockpit.with_user(self.user_plain).get_overview()
