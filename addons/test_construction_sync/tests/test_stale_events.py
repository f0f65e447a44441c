"""Stale events are visible and a manager can act on them (issue 12).

An event older than its object's watermark (the source timestamp of the last event applied about
the object) goes `stale` and changes nothing. The watermark that made it stale is recorded on it;
each system's card counts the stale events of the last STALE_WINDOW_DAYS and the cockpit lists
them under their own filter with that watermark. An integration manager applies one anyway (the
watermark never moves backwards) or resets a wrong watermark so the object's next genuine update
applies again; both need a reason, are audited, and are refused to integration users and to
another company's managers."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from odoo.addons.construction_sync.models.construction_sync_event import STALE_WINDOW_DAYS
from odoo.addons.construction_sync.tests.common import SECRET, SyncCase

from .common import CONTACT, CONTACT_MODEL

CUSTOMER = {"id": "C-9", "name": "Quayside Clinic", "kind": "customer"}
REFUSED = "do not exist or belong to a company you cannot access"
FAR_FUTURE = "9999-12-31 23:00:00"


@tagged("post_install", "-at_install")
class TestStaleEvents(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Cockpit = cls.env["construction.sync.cockpit"]
        cls.company_b = cls.env["res.company"].create({"name": "Builders B"})
        cls.system_b = cls.env["construction.sync.system"].create(
            {"name": "B platform", "code": "b-field", "company_id": cls.company_b.id})
        cls.system_b.sudo().secret = SECRET
        cls.manager_b = new_test_user(
            cls.env, login="csync_b_manager", groups="construction_sync.group_manager",
            company_id=cls.company_b.id, company_ids=[Command.set([cls.company_b.id])])

    def setUp(self):
        super().setUp()
        # The object's history: an update at 09:00, the newest at 10:00, then 09:30 arrives late.
        self.first = self.update("First name", "2026-11-23T09:00:00Z")
        self.newest = self.update("Newest name", "2026-11-23T10:00:00Z")
        self.late = self.update("Late name", "2026-11-23T09:30:00Z")
        self.assertEqual((self.first.state, self.newest.state, self.late.state), ("done", "done", "stale"))

    # ------------------------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------------------------

    def update(self, name, timestamp, external_id="C-9"):
        event = self.deliver(CONTACT, dict(CUSTOMER, id=external_id, name=name), timestamp=timestamp)
        self.drain()
        return event

    def mapping(self, external_id="C-9"):
        return self.Mapping._find(self.system, CONTACT_MODEL, external_id)

    def contact(self, external_id="C-9"):
        return self.env[CONTACT_MODEL].browse(self.mapping(external_id).res_id)

    def audit(self, event, action):
        return event.audit_ids.filtered(lambda a: a.action == action)

    def stale_card(self, user=None):
        self.env.flush_all()  # the overview counts in SQL
        overview = self.Cockpit.with_user(user or self.user_integration).get_overview()
        return next(s for s in overview["systems"] if s["id"] == self.system.id)["stale"]

    # ------------------------------------------------------------------------------------------
    # visible
    # ------------------------------------------------------------------------------------------

    def test_an_older_event_goes_stale_with_the_watermark_that_made_it_stale(self):
        self.assertEqual(self.contact().name, "Newest name")
        self.assertEqual((self.late.stale_watermark, self.late.stale_watermark_event_id),
                         (self.newest.source_timestamp, self.newest))
        self.assertIn(self.newest.webhook_id, self.audit(self.late, "stale").message)
        # The watermark moves on; the reason recorded stays the one that was true.
        later = self.update("Later name", "2026-11-23T11:00:00Z")
        self.assertEqual(self.mapping().last_event_id, later)
        self.assertEqual(self.late.stale_watermark_event_id, self.newest)

    def test_each_system_card_counts_its_stale_events_of_the_window(self):
        overview = self.Cockpit.with_user(self.user_integration).get_overview()
        self.assertEqual(overview["stale_days"], STALE_WINDOW_DAYS)
        self.assertEqual(self.stale_card(), 1)
        b_card = self.Cockpit.with_user(self.manager_b).get_overview()["systems"]
        self.assertEqual([(s["id"], s["stale"]) for s in b_card], [(self.system_b.id, 0)])
        # Older than the window: no longer counted (the native list still has it).
        self.late.sudo().received_at = fields.Datetime.now() - timedelta(days=STALE_WINDOW_DAYS, hours=1)
        self.assertEqual(self.stale_card(), 0)
        self.late.sudo().received_at = fields.Datetime.now()
        # A manager who finds nothing to do about it ignores it: it leaves the count.
        with self.assertRaises(UserError):
            self.late.with_user(self.user_integration).action_ignore("late, nothing to do")
        self.late.with_user(self.user_manager).action_ignore("late, nothing to do")
        self.assertEqual((self.late.state, self.stale_card()), ("ignored", 0))

    def test_the_stale_filter_lists_them_with_their_watermark(self):
        cockpit = self.Cockpit.with_user(self.user_integration)
        self.assertEqual(cockpit.get_exceptions(system_id=self.system.id)["total"], 0,
                         "stale events are not among the exceptions")
        page = cockpit.get_exceptions(system_id=self.system.id, state="stale")
        self.assertEqual(page["total"], 1)
        row = page["rows"][0]
        self.assertEqual((row["id"], row["state"]), (self.late.id, "stale"))
        self.assertEqual(row["stale"], {
            "watermark": "2026-11-23 10:00:00",
            "event_id": self.newest.id,
            "webhook_id": self.newest.webhook_id,
            "received_at": fields.Datetime.to_string(self.newest.received_at),
        })
        self.assertEqual(cockpit.get_exceptions(state="stale", search="C-9")["total"], 1)
        self.assertEqual(cockpit.get_exceptions(state="stale", search=self.late.webhook_id)["total"], 1)
        self.assertEqual(cockpit.get_exceptions(state="stale", search="C-1")["total"], 0)
        self.assertEqual(cockpit.get_exception_ids(state="stale"), self.late.ids)
        self.assertEqual(cockpit.get_exceptions(state="stale", older_than_hours=1)["total"], 0)
        # The detail adds the object's watermark now and what a reset would set it back to.
        detail = cockpit.get_event(self.late.id)
        self.assertEqual(detail["stale"], row["stale"])
        self.assertEqual(detail["watermark"], {
            "mapping_id": self.mapping().id,
            "at": "2026-11-23 10:00:00",
            "webhook_id": self.newest.webhook_id,
            "reset_to": "2026-11-23 09:00:00",
            "reset_to_webhook_id": self.first.webhook_id,
        })
        # Rows of other states carry no stale reason; B's people see none of A's stale events.
        self.assertIsNone(cockpit.get_event(self.newest.id)["stale"])
        self.assertIsNone(cockpit.get_event(self.newest.id)["watermark"])
        self.assertEqual(self.Cockpit.with_user(self.manager_b).get_exceptions(state="stale")["total"], 0)
        with self.assertRaisesRegex(AccessError, REFUSED):
            self.Cockpit.with_user(self.manager_b).get_event(self.late.id)

    # ------------------------------------------------------------------------------------------
    # apply anyway
    # ------------------------------------------------------------------------------------------

    def test_a_manager_applies_a_stale_event_anyway_without_moving_the_watermark_back(self):
        result = self.Cockpit.with_user(self.user_manager).act(
            "apply_anyway", self.late.ids, "the 10:00 change was entered on the wrong customer")
        self.assertEqual(result, [{"id": self.late.id, "state": "done", "error_message": ""}])
        self.assertEqual(self.contact().name, "Late name")
        self.assertTrue(self.late.watermark_override)
        entry = self.audit(self.late, "apply_anyway")
        self.assertEqual((entry.user_id, entry.from_state, entry.to_state), (self.user_manager, "stale", "pending"))
        self.assertIn("the 10:00 change was entered on the wrong customer", entry.message)
        self.assertEqual(self.audit(self.late, "done").to_state, "done")
        # The watermark stays the newest event's: older updates still go stale, newer ones apply.
        self.assertEqual((self.mapping().last_source_timestamp, self.mapping().last_event_id),
                         (self.newest.source_timestamp, self.newest))
        self.assertEqual(self.update("Older still", "2026-11-23T09:45:00Z").state, "stale")
        self.assertEqual(self.update("Genuine next", "2026-11-23T11:00:00Z").state, "done")
        self.assertEqual(self.contact().name, "Genuine next")

    def test_apply_anyway_is_once_a_replay_goes_stale_again(self):
        self.late.with_user(self.user_manager).action_apply_anyway("customer asked for it")
        self.assertEqual(self.late.state, "done")
        self.late.with_user(self.user_manager).action_replay()
        self.assertEqual((self.late.state, self.late.watermark_override), ("stale", False))

    def test_apply_anyway_of_an_event_needing_approval_waits_for_it_then_applies(self):
        self.system.setting_ids.filtered(lambda s: s.event_type == CONTACT).requires_approval = True
        self.late.with_user(self.user_manager).action_apply_anyway("customer asked for it")
        self.assertEqual(self.late.state, "awaiting_approval")
        self.late.with_user(self.user_manager).action_accept()
        self.assertEqual(self.late.state, "done")
        self.assertEqual(self.contact().name, "Late name")

    def test_apply_anyway_is_refused_to_users_without_a_reason_and_outside_stale(self):
        with self.assertRaisesRegex(UserError, "Only integration managers"):
            self.Cockpit.with_user(self.user_integration).act("apply_anyway", self.late.ids, "please")
        with self.assertRaisesRegex(UserError, "Say why"):
            self.Cockpit.with_user(self.user_manager).act("apply_anyway", self.late.ids, "  ")
        with self.assertRaisesRegex(UserError, "only events in state"):
            self.newest.with_user(self.user_manager).action_apply_anyway("again")
        self.assertEqual(self.late.state, "stale")
        self.assertFalse(self.audit(self.late, "apply_anyway"))
        self.assertEqual(self.contact().name, "Newest name")

    def test_another_companys_manager_can_neither_apply_anyway_nor_reset(self):
        cockpit = self.Cockpit.with_user(self.manager_b)
        for action in ("apply_anyway", "reset_watermark"):
            with self.subTest(action=action), self.assertRaisesRegex(AccessError, REFUSED):
                cockpit.act(action, self.late.ids, "not ours")
        with self.assertRaisesRegex(AccessError, REFUSED):
            self.late.with_user(self.manager_b).action_apply_anyway("not ours")
        with self.assertRaisesRegex(AccessError, REFUSED):
            self.mapping().with_user(self.manager_b).action_reset_watermark("not ours")
        with self.assertRaisesRegex(AccessError, REFUSED):
            self.env["construction.sync.watermark.reset.wizard"].with_user(self.manager_b).with_context(
                default_mapping_id=self.mapping().id).create({"reason": "not ours"})
        self.assertEqual(self.late.state, "stale")
        self.assertEqual(self.mapping().last_event_id, self.newest)
        self.assertFalse(self.audit(self.late, "apply_anyway") | self.audit(self.late, "reset_watermark"))

    # ------------------------------------------------------------------------------------------
    # reset watermark
    # ------------------------------------------------------------------------------------------

    def test_a_bogus_future_watermark_silences_updates_until_a_manager_resets_it(self):
        # The intake refuses events dated in the future now; a watermark from before that is set
        # here directly.
        self.mapping().sudo().last_source_timestamp = FAR_FUTURE
        silenced = self.update("Genuine update", "2026-11-23T12:00:00Z")
        self.assertEqual(silenced.state, "stale")
        self.assertEqual(silenced.stale_watermark, fields.Datetime.to_datetime(FAR_FUTURE))
        self.assertEqual(self.stale_card(), 2)
        self.assertEqual(self.contact().name, "Newest name")

        with self.assertRaisesRegex(UserError, "Only integration managers"):
            self.Cockpit.with_user(self.user_integration).act("reset_watermark", silenced.ids, "wrong date")
        with self.assertRaisesRegex(UserError, "Say why"):
            self.mapping().with_user(self.user_manager).action_reset_watermark("")
        self.Cockpit.with_user(self.user_manager).act("reset_watermark", silenced.ids, "sender's clock was wrong")

        # Back to the newest applied update not dated in the future.
        self.assertEqual((self.mapping().last_source_timestamp, self.mapping().last_event_id),
                         (self.newest.source_timestamp, self.newest))
        for event in (silenced, self.late, self.newest):
            entry = self.audit(event, "reset_watermark")
            self.assertEqual(entry.user_id, self.user_manager, event.webhook_id)
            self.assertIn("sender's clock was wrong", entry.message)
            self.assertIn("9999-12-31 23:00:00", entry.message)
        self.assertEqual(silenced.state, "stale", "a reset applies nothing by itself")
        self.assertEqual(silenced.stale_watermark, fields.Datetime.to_datetime(FAR_FUTURE), "the reason stays true")

        # The next genuine update applies, and the watermark moves forward again.
        following = self.update("Next genuine update", "2026-11-23T13:00:00Z")
        self.assertEqual(following.state, "done")
        self.assertEqual(self.contact().name, "Next genuine update")
        self.assertEqual(self.mapping().last_event_id, following)
        # The update silenced meanwhile is older than that one now: replayed, it goes stale again
        # (applying it would undo the 13:00 update); a manager may still apply it anyway.
        silenced.with_user(self.user_manager).action_replay("after the watermark reset")
        self.assertEqual((silenced.state, silenced.stale_watermark_event_id), ("stale", following))

    def test_a_reset_passes_over_events_dated_in_the_future(self):
        # Before the intake refused them, an event dated in year 9999 was applied and became the
        # watermark (its date is set in SQL here, as the intake would have stored it).
        bogus = self.deliver(CONTACT, dict(CUSTOMER, name="From the future"), timestamp="2026-11-23T11:00:00Z")
        bogus.flush_recordset()
        self.env.cr.execute("UPDATE construction_sync_event SET source_timestamp = %s WHERE id = %s",
                            (FAR_FUTURE, bogus.id))
        bogus.invalidate_recordset(["source_timestamp"])
        self.drain()
        self.assertEqual((bogus.state, self.mapping().last_event_id), ("done", bogus))
        silenced = self.update("Genuine update", "2026-11-23T12:00:00Z")
        self.assertEqual((silenced.state, silenced.stale_watermark_event_id), ("stale", bogus))
        row = self.Cockpit.get_exceptions(state="stale", search=silenced.webhook_id)["rows"][0]
        self.assertEqual((row["stale"]["watermark"], row["stale"]["webhook_id"]), (FAR_FUTURE, bogus.webhook_id))
        # Reset from the mapping form's dialog, which shows where the watermark goes back to.
        wizard = self.env["construction.sync.watermark.reset.wizard"].with_user(self.user_manager).with_context(
            default_mapping_id=self.mapping().id).create({"reason": "event dated 9999 by the sender"})
        self.assertEqual((wizard.current_event_id, wizard.new_event_id), (bogus, self.newest))
        wizard.action_confirm()
        self.assertEqual(self.mapping().last_event_id, self.newest)
        self.assertIn("event dated 9999 by the sender", self.audit(bogus, "reset_watermark").message)
        silenced.with_user(self.user_manager).action_replay("after the watermark reset")
        self.assertEqual(silenced.state, "done")
        self.assertEqual(self.contact().name, "Genuine update")
        self.assertEqual(self.mapping().last_event_id, silenced)

    def test_a_reset_with_nothing_applied_before_clears_the_watermark(self):
        only = self.update("Only update", "2026-11-23T09:00:00Z", external_id="C-1")
        mapping = self.mapping("C-1")
        self.assertEqual(mapping.last_event_id, only)
        mapping.with_user(self.user_manager).action_reset_watermark("start over")
        self.assertEqual((mapping.last_source_timestamp, mapping.last_event_id.id), (False, False))
        self.assertEqual(self.update("Even older", "2026-11-22T09:00:00Z", external_id="C-1").state, "done")
        with self.assertRaisesRegex(UserError, "no watermark to reset"):
            self.Mapping.with_user(self.user_manager).create({
                "system_id": self.system.id, "res_model": CONTACT_MODEL, "external_id": "C-404",
            }).action_reset_watermark("nothing there")

    def test_the_reset_dialog_is_for_managers_only(self):
        Wizard = self.env["construction.sync.watermark.reset.wizard"]
        with self.assertRaises(AccessError):
            Wizard.with_user(self.user_integration).with_context(
                default_mapping_id=self.mapping().id).create({"reason": "why not"})
        action = self.mapping().with_user(self.user_manager).action_open_reset_watermark()
        self.assertEqual((action["res_model"], action["context"]),
                         ("construction.sync.watermark.reset.wizard", {"default_mapping_id": self.mapping().id}))
