"""Company isolation of every server method people call with ids (issue 12).

Company A is the test world's company, with its system and events delivered through the intake;
company B has its own system, an integration user and an integration manager who may access
company B only. Ids are sequential, so B's people could name A's events in any call: each call
is refused with an AccessError, and A's events are left exactly as they were (state, assignee,
audit trail, approval), with no bus notice sent about them."""

import json
from types import SimpleNamespace
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.construction_sync.models.construction_sync_event import BUS_SUBCHANNEL
from odoo.addons.construction_sync.tests.common import SECRET, SyncCase

from .common import CONTACT, CONTACT_MODEL, SITE

REFUSED = "do not exist or belong to a company you cannot access"
PAST = "2000-01-01 00:00:00"
FUTURE = "2100-01-01 00:00:00"


@tagged("post_install", "-at_install")
class TestCompanyIsolation(SyncCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.company
        cls.company_b = cls.env["res.company"].create({"name": "Builders B"})
        cls.system_a = cls.system
        cls.system_b = cls.env["construction.sync.system"].create(
            {"name": "B platform", "code": "b-field", "company_id": cls.company_b.id})
        cls.system_b.sudo().secret = SECRET
        only_b = {"company_id": cls.company_b.id, "company_ids": [Command.set([cls.company_b.id])]}
        cls.user_b = new_test_user(cls.env, login="csync_b_user", groups="construction_sync.group_user", **only_b)
        cls.manager_b = new_test_user(
            cls.env, login="csync_b_manager", groups="construction_sync.group_manager", **only_b)
        cls.Cockpit = cls.env["construction.sync.cockpit"]
        cls.Wizard = cls.env["construction.sync.event.action.wizard"]
        cls.ReplayWizard = cls.env["construction.sync.replay.wizard"]

    def setUp(self):
        super().setUp()
        # A: a failed event (its customer is unknown), an approval item, a done event.
        self.system_a.setting_ids.filtered(lambda s: s.event_type == SITE).requires_approval = True
        self.done_a = self.deliver(CONTACT, {"id": "C-A", "name": "A customer", "kind": "customer"})
        self.failed_a = self.deliver(SITE, {"id": "P-A1", "name": "A job", "customer_id": "C-404"})
        self.approval_a = self.deliver(SITE, {"id": "P-A2", "name": "A approved job", "customer_id": "C-A"})
        # B: one failed event of its own.
        self.failed_b = self.deliver(SITE, {"id": "P-B1", "name": "B job", "customer_id": "C-404"},
                                     system=self.system_b)
        self.drain()
        self.assertEqual(
            (self.done_a.state, self.failed_a.state, self.approval_a.state, self.failed_b.state),
            ("done", "failed", "awaiting_approval", "failed"),
        )
        self.assertEqual((self.failed_a.company_id, self.failed_b.company_id), (self.company_a, self.company_b))
        self.events_a = self.done_a | self.failed_a | self.approval_a
        self.before = self._snapshot(self.events_a | self.failed_b)

    # ------------------------------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------------------------------

    def _bus_rows(self):
        # The bus writes its rows in a pre-commit hook; a flush runs it without committing.
        self.env.cr.flush()
        return self.env["bus.bus"].sudo().search([("message", "like", "construction_sync/changed")])

    def _snapshot(self, events):
        """What a refused call must not change, read from the database; the bus rows too."""
        self.env.flush_all()
        bus_rows = self._bus_rows()
        self.env.invalidate_all()
        return bus_rows, {
            event.id: (event.state, event.user_id.id, event.approved, event.attempts, event.error_message,
                       event.next_attempt_at, sorted(event.audit_ids.ids))
            for event in events.sudo()
        }

    def assertUnchanged(self):
        bus_before, events_before = self.before
        bus_after, events_after = self._snapshot(self.events_a | self.failed_b)
        self.assertEqual(events_after, events_before, "a refused call changed events")
        self.assertEqual(bus_after, bus_before, "a refused call announced something")

    def assertRefused(self, call, *args, **kwargs):
        with self.assertRaisesRegex(AccessError, REFUSED):
            call(*args, **kwargs)
        self.assertUnchanged()

    # ------------------------------------------------------------------------------------------
    # cockpit
    # ------------------------------------------------------------------------------------------

    def test_cockpit_event_detail_of_another_company_is_refused(self):
        cockpit = self.Cockpit.with_user(self.user_b)
        for event in self.events_a:
            with self.subTest(state=event.state):
                self.assertRefused(cockpit.get_event, event.id)
        self.assertEqual(cockpit.get_event(self.failed_b.id)["id"], self.failed_b.id)

    def test_cockpit_actions_on_another_companys_events_are_refused(self):
        user, manager = self.Cockpit.with_user(self.user_b), self.Cockpit.with_user(self.manager_b)
        cases = [
            (user, "retry", self.failed_a, None),
            (user, "note", self.failed_a, "seen from B"),
            (user, "assign_me", self.failed_a, None),
            (manager, "ignore", self.failed_a, "not ours"),
            (manager, "accept", self.approval_a, None),
            (manager, "reject", self.approval_a, "not ours"),
        ]
        for cockpit, action, event, text in cases:
            for skip_ineligible in (False, True):
                with self.subTest(action=action, skip_ineligible=skip_ineligible):
                    self.assertRefused(cockpit.act, action, event.ids, text, skip_ineligible=skip_ineligible)

    def test_one_foreign_id_refuses_the_whole_call(self):
        cockpit = self.Cockpit.with_user(self.user_b)
        # B's own event is not noted either: nothing is written when any id is refused.
        self.assertRefused(cockpit.act, "note", [self.failed_b.id, self.failed_a.id], "mixed")
        self.assertRefused(cockpit.act, "assign_me", [self.failed_b.id, self.failed_a.id])
        # Sweeping every id up to the newest: refused as a whole, naming how many ids are not readable.
        every_id = list(range(1, max((self.events_a | self.failed_b).ids) + 1))
        readable = self.Event.with_user(self.user_b).search_count([("id", "in", every_id)])
        with self.assertRaisesRegex(AccessError, r"^%s of the %s " % (len(every_id) - readable, len(every_id))):
            cockpit.act("note", every_id, "sweep")
        self.assertUnchanged()
        # An id that does not exist is refused the same way.
        self.assertRefused(cockpit.act, "note", [max(every_id) + 1000], "gone")

    def test_own_company_events_still_work(self):
        result = self.Cockpit.with_user(self.user_b).act("note", self.failed_b.ids, "ours")
        self.assertEqual(result, [{"id": self.failed_b.id, "state": "failed",
                                   "error_message": self.failed_b.error_message}])
        self.assertEqual(self.failed_b.audit_ids.filtered(lambda a: a.action == "note").message, "ours")
        self.Cockpit.with_user(self.user_b).act("assign_me", self.failed_b.ids)
        self.assertEqual(self.failed_b.user_id, self.user_b)

    def test_lists_select_all_overview_and_trends_hold_only_the_users_companies(self):
        user = self.Cockpit.with_user(self.user_b)
        exceptions_b = self.Event.search([("company_id", "=", self.company_b.id),
                                          ("state", "in", ("failed", "dead", "awaiting_approval"))])
        page = user.get_exceptions()
        self.assertEqual(page["total"], len(exceptions_b))
        self.assertEqual({row["id"] for row in page["rows"]}, set(exceptions_b.ids))
        self.assertEqual(set(user.get_exception_ids()), set(exceptions_b.ids))
        for search in (self.failed_a.webhook_id, "P-A1"):
            self.assertEqual(user.get_exceptions(search=search)["total"], 0)
            self.assertEqual(user.get_exception_ids(search=search), [])
        # A filter naming another company's system is refused, not answered empty.
        self.assertRefused(user.get_exceptions, system_id=self.system_a.id)
        self.assertRefused(user.get_exception_ids, system_id=self.system_a.id)
        self.assertRefused(user.get_trends, 7, system_id=self.system_a.id)

        overview = user.get_overview()
        self.assertEqual([system["id"] for system in overview["systems"]], self.system_b.ids)
        trends = user.get_trends(7)
        self.assertEqual(sum(row["count"] for row in trends["by_hour"]),
                         self.Event.search_count([("company_id", "=", self.company_b.id)]))
        self.assertUnchanged()

    def test_replay_range_of_another_companys_system_is_refused(self):
        self.assertRefused(self.Cockpit.with_user(self.manager_b).replay_range,
                           self.system_a.id, PAST, FUTURE, reason="sweep", include_done=True)

    # ------------------------------------------------------------------------------------------
    # event actions, list actions and wizards
    # ------------------------------------------------------------------------------------------

    def test_event_actions_on_another_companys_events_are_refused(self):
        failed_as_user = self.failed_a.with_user(self.user_b)
        failed_as_manager = self.failed_a.with_user(self.manager_b)
        approval_as_manager = self.approval_a.with_user(self.manager_b)
        cases = [
            ("action_retry", failed_as_user.action_retry, ()),
            ("action_add_note", failed_as_user.action_add_note, ("seen from B",)),
            ("action_assign", failed_as_user.action_assign, (self.user_b.id,)),
            ("action_assign nobody", failed_as_user.action_assign, (False,)),
            ("action_ignore", failed_as_manager.action_ignore, ("not ours",)),
            ("action_accept", approval_as_manager.action_accept, ()),
            ("action_reject", approval_as_manager.action_reject, ("not ours",)),
            ("action_replay", (self.done_a | self.failed_a).with_user(self.manager_b).action_replay, ("sweep",)),
            ("action_open_record", self.done_a.with_user(self.manager_b).action_open_record, ()),
            ("mixed selection", (self.failed_b | self.failed_a).with_user(self.user_b).action_add_note, ("mixed",)),
        ]
        for name, method, args in cases:
            with self.subTest(name):
                self.assertRefused(method, *args)

    def test_list_server_actions_on_another_companys_events_are_refused(self):
        for xmlid, user, event in (
            ("construction_sync.construction_sync_event_retry_server_action", self.user_b, self.failed_a),
            ("construction_sync.construction_sync_event_accept_server_action", self.manager_b, self.approval_a),
        ):
            with self.subTest(xmlid):
                action = self.env.ref(xmlid).with_user(user).with_context(
                    active_model="construction.sync.event", active_ids=event.ids, active_id=event.id)
                self.assertRefused(action.run)

    def test_action_wizards_on_another_companys_events_are_refused(self):
        for action, user, event in (
            ("note", self.user_b, self.failed_a),
            ("assign", self.user_b, self.failed_a),
            ("ignore", self.manager_b, self.failed_a),
            ("reject", self.manager_b, self.approval_a),
        ):
            values = {"action": action, "text": "from B", "user_id": self.user_b.id}
            with self.subTest(action=action, opened_on="selection"):
                # Opened from the list on the selection: refused as the dialog opens.
                self.assertRefused(self.Wizard.with_user(user).with_context(
                    active_model="construction.sync.event", active_ids=event.ids).create, values)
            with self.subTest(action=action, opened_on="ids"):
                # Created with the ids directly: refused on confirm (reading event_ids as the
                # user would silently drop A's event; the stored ids are checked).
                wizard = self.Wizard.with_user(user).create({**values, "event_ids": [Command.set(event.ids)]})
                self.assertRefused(wizard.action_confirm)
            with self.subTest(action=action, opened_on="mixed ids"):
                wizard = self.Wizard.with_user(user).create(
                    {**values, "event_ids": [Command.set((self.failed_b | event).ids)]})
                self.assertRefused(wizard.action_confirm)

    def test_replay_wizard_on_another_companys_system_is_refused(self):
        wizard = self.ReplayWizard.with_user(self.manager_b).create({
            "system_id": self.system_a.id, "date_from": PAST, "date_to": FUTURE, "reason": "sweep",
            "include_done": True, "include_failed": True,
        })
        self.assertRefused(wizard.action_replay)

    def test_a_mapping_cannot_be_moved_to_another_companys_system(self):
        """Moving a mapping to A's system would release A's events waiting for it."""
        contact = self.env[CONTACT_MODEL].create({"name": "B's C-404", "company_id": self.company_b.id})
        mapping = self.Mapping.create({"system_id": self.system_b.id, "res_model": CONTACT_MODEL,
                                       "external_id": "C-999", "res_id": contact.id})
        self.before = self._snapshot(self.events_a | self.failed_b)
        self.assertRefused(mapping.with_user(self.manager_b).write,
                           {"system_id": self.system_a.id, "external_id": "C-404"})
        with self.assertRaises(AccessError):
            self.Mapping.with_user(self.manager_b).create({
                "system_id": self.system_a.id, "res_model": CONTACT_MODEL, "external_id": "C-404",
                "res_id": contact.id})
        self.assertUnchanged()

    # ------------------------------------------------------------------------------------------
    # bus
    # ------------------------------------------------------------------------------------------

    def _channels(self, user):
        """The (record, name) channels Odoo subscribes this user's websocket to (ir.websocket),
        as for a browser that asked for none of its own."""
        env = self.env(user=user)
        fake_request = SimpleNamespace(session=SimpleNamespace(uid=user.id), cookies={}, env=env,
                                       update_context=lambda **kw: None)
        with patch("odoo.addons.bus.models.ir_websocket.request", fake_request), \
                patch("odoo.addons.mail.models.discuss.mail_guest.request", fake_request):
            channels = env["ir.websocket"]._build_bus_channel_list([])
        return {channel for channel in channels if isinstance(channel, tuple)}

    def test_websocket_channels_are_those_of_the_users_companies(self):
        channel_a, channel_b = (self.company_a, BUS_SUBCHANNEL), (self.company_b, BUS_SUBCHANNEL)
        for user in (self.user_b, self.manager_b):
            with self.subTest(user=user.login):
                channels = self._channels(user)
                self.assertIn(channel_b, channels)
                self.assertNotIn(channel_a, channels)
        both = new_test_user(self.env, login="csync_ab_user", groups="construction_sync.group_user",
                             company_ids=[Command.set((self.company_a | self.company_b).ids)])
        self.assertLessEqual({channel_a, channel_b}, self._channels(both))
        self.assertNotIn(channel_a, self._channels(self.user_plain), "only integration users")

    def test_bus_notices_go_to_each_company_naming_its_own_systems(self):
        bus_before = self._bus_rows()
        new_a = self.deliver(SITE, {"id": "P-A9", "name": "A job", "customer_id": "C-405"})
        new_b = self.deliver(SITE, {"id": "P-B9", "name": "B job", "customer_id": "C-405"}, system=self.system_b)
        self.drain()
        self.assertEqual((new_a.state, new_b.state), ("failed", "failed"))
        rows = self._bus_rows() - bus_before
        self.assertEqual(
            sorted((json.loads(row.channel), json.loads(row.message)["payload"]) for row in rows),
            sorted([
                ([self.env.cr.dbname, "res.company", self.company_a.id, BUS_SUBCHANNEL],
                 {"system_ids": self.system_a.ids}),
                ([self.env.cr.dbname, "res.company", self.company_b.id, BUS_SUBCHANNEL],
                 {"system_ids": self.system_b.ids}),
            ]),
        )
