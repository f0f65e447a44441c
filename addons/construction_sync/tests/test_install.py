from odoo.tests import tagged

from .common import SyncCase


@tagged("post_install", "-at_install")
class TestInstall(SyncCase):
    def test_manager_group_implies_user_group(self):
        self.assertTrue(self.user_manager.has_group("construction_sync.group_user"))
        self.assertFalse(self.user_integration.has_group("construction_sync.group_manager"))

    def test_cockpit_menu_path(self):
        cockpit = self.env.ref("construction_sync.cockpit_menu")
        # The engine is an app of its own, used without any construction addon.
        self.assertEqual(cockpit.complete_name, "Construction Sync/Sync/Cockpit")
        self.assertEqual(cockpit.parent_id.parent_id, self.env.ref("construction_sync.menu_root"))
        self.assertFalse(self.env.ref("construction_sync.menu_root").parent_id)
        self.assertEqual(cockpit.action, self.env.ref("construction_sync.cockpit_action"))
        self.assertEqual(cockpit.action.tag, "construction_sync.cockpit")

    def test_sync_app_menu_visible_to_integration_users_only(self):
        root = self.env.ref("construction_sync.menu_root")
        visible_for = lambda user: root in self.env["ir.ui.menu"].with_user(user).search(  # noqa: E731
            [("id", "=", root.id)]
        )
        self.assertTrue(visible_for(self.user_integration))
        self.assertFalse(visible_for(self.user_plain))

    def test_bundle_is_in_backend_assets(self):
        files = self.env["ir.qweb"]._get_asset_bundle("web.assets_backend").files
        urls = {f["url"] for f in files}
        self.assertIn("/construction_sync/static/src/construction_sync.js", urls)
        self.assertIn("/construction_sync/static/src/construction_sync.xml", urls)

    def test_the_event_table_is_vacuumed_as_a_queue(self):
        # Read from PostgreSQL's catalog: what autovacuum itself reads.
        self.env.cr.execute("SELECT reloptions FROM pg_class WHERE relname = 'construction_sync_event'")
        options = dict(option.split("=") for option in self.env.cr.fetchone()[0] or [])
        for name in ("autovacuum_vacuum_scale_factor", "autovacuum_vacuum_insert_scale_factor",
                     "autovacuum_analyze_scale_factor"):
            self.assertEqual(float(options.get(name, 0.2)), 0.05, name)

    def test_the_outbox_has_only_the_indexes_its_queries_use(self):
        """Each index costs every message an entry, and one more on delivery: the single-column
        indexes of earlier versions, and those of the former per-message sending state, are
        dropped on upgrade."""
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'construction_sync_outbox'")
        self.assertEqual(
            {name for (name,) in self.env.cr.fetchall()},
            {"construction_sync_outbox_pkey", "construction_sync_outbox_webhook_id_uniq",
             "construction_sync_outbox_pending_idx", "construction_sync_outbox_pending_object_idx",
             "construction_sync_outbox_dead_idx",
             "construction_sync_outbox_record_idx"})
        self.env.cr.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'construction_sync_outbox_attempt'")
        self.assertEqual(
            {name for (name,) in self.env.cr.fetchall()},
            {"construction_sync_outbox_attempt_pkey", "construction_sync_outbox_attempt__message_id_index",
             "construction_sync_outbox_attempt_subscription_at_idx", "construction_sync_outbox_attempt_at_idx"})
