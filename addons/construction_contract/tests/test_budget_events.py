from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .test_finance_events import FinanceEventsCase

REASON = "Steel mill price increase; stairs value-engineered."


@tagged("post_install", "-at_install")
class BudgetEventsCase(FinanceEventsCase):
    """The estimating system's budget of Pier 9: version 1 from budget.approved, then revisions."""

    def approved(self, timestamp="2026-11-02T08:00:00Z", **overrides):
        data = {"id": "BUD-1", "project_id": "P-1", "date": "2026-11-02",
                "lines": [{"cost_code_id": "CC-1", "amount": 300000.0, "quantity": 120, "unit": "TON"},
                          {"cost_code_id": "CC-2", "amount": 25000.0}]}
        data.update(overrides)
        return self.apply("budget.approved", data, timestamp=timestamp)

    def revised(self, version=2, timestamp="2026-11-10T08:00:00Z", **overrides):
        data = {"id": "BUD-1-R%s" % (version - 1), "budget_id": "BUD-1", "project_id": "P-1", "version": version,
                "reason": REASON,
                "lines": [{"cost_code_id": "CC-1", "amount": 310000.0, "quantity": 124, "unit": "TON"},
                          {"cost_code_id": "CC-2", "amount": 20000.0}]}
        data.update(overrides)
        return self.apply("budget.revised", data, timestamp=timestamp)

    def budget_line(self, code):
        cost_code = self.Mapping._find(self.system, "construction.cost.code", code).record_ref
        return self.project_p1.budget_line_ids.filtered(lambda line: line.cost_code_id == cost_code)

    def items(self, budget):
        return [(item.cost_code_id.code, item.previous_amount, item.amount, item.change_amount)
                for item in budget.item_ids.sorted(lambda item: item.cost_code_id.code)]

    def versions(self):
        return self.env["construction.budget"].search([("project_id", "=", self.project_p1.id)]).mapped(
            lambda budget: (budget.version, budget.state))


@tagged("post_install", "-at_install")
class TestBudgetApproved(BudgetEventsCase):
    def test_approved_budget_is_version_one_and_sets_the_original_budget(self):
        event = self.approved()
        self.assertDone(event)
        budget = event.record_ref
        self.assertEqual((budget._name, budget.project_id, budget.version, budget.state),
                         ("construction.budget", self.project_p1, 1, "approved"))
        self.assertEqual(str(budget.date), "2026-11-02")
        self.assertEqual(budget.sudo().event_id, event)
        self.assertEqual(budget.amount_total, 325000.0)
        self.assertEqual(self.items(budget), [("95 12 00", 0.0, 300000.0, 300000.0),
                                              ("95 50 00", 0.0, 25000.0, 25000.0)])
        steel = self.budget_line("CC-1")
        self.assertEqual((steel.original_amount, steel.revision_amount, steel.change_amount, steel.revised_amount),
                         (300000.0, 0.0, 0.0, 300000.0))
        self.assertEqual((steel.quantity, steel.unit, steel.budget_id), (120.0, "TON", budget))
        self.assertEqual(self.project_p1.budget_version, 1)
        self.assertEqual(self.Mapping._find(self.system, "construction.budget", "BUD-1").record_ref, budget)

    def test_resent_original_replaces_its_lines_while_it_is_current(self):
        budget = self.approved().record_ref
        # A hand-entered line the estimate leaves out keeps no original budget.
        self.env["construction.budget.line"].create({
            "project_id": self.project_p1.id, "cost_code_id": self.cc_masonry.id, "original_amount": 5000.0})
        event = self.approved(timestamp="2026-11-03T08:00:00Z",
                              lines=[{"cost_code_id": "CC-1", "amount": 295000.0}])
        self.assertDone(event)
        self.assertEqual(event.record_ref, budget)
        self.assertEqual(self.items(budget), [("95 12 00", 0.0, 295000.0, 295000.0)])
        self.assertEqual(self.budget_line("CC-1").original_amount, 295000.0)
        self.assertEqual(self.budget_line("CC-2").original_amount, 0.0)
        masonry = self.project_p1.budget_line_ids.filtered(lambda line: line.cost_code_id == self.cc_masonry)
        self.assertEqual(masonry.original_amount, 0.0)

    def test_hand_entered_budget_is_adopted_not_doubled(self):
        cost_code = self.Mapping._find(self.system, "construction.cost.code", "CC-1").record_ref
        draft = self.env["construction.budget"].create({
            "project_id": self.project_p1.id,
            "item_ids": [Command.create({"cost_code_id": cost_code.id, "amount": 1.0})],
        })
        self.assertEqual((draft.version, draft.state), (1, "draft"))
        event = self.approved()
        self.assertDone(event)
        self.assertEqual(event.record_ref, draft)
        self.assertEqual((draft.state, draft.amount_total), ("approved", 325000.0))

    def test_unknown_project_and_cost_code_wait_then_apply(self):
        event = self.approved(project_id="P-2", lines=[{"cost_code_id": "CC-9", "amount": 1000.0}])
        self.assertEqual((event.state, event.error_class, event.waiting_for),
                         ("failed", "data", "project.project:P-2"))
        self.apply("project.upserted", {"id": "P-2", "name": "Pier 10", "customer_id": "C-1", "currency": "USD"})
        self.assertEqual((event.state, event.error_class, event.waiting_for),
                         ("failed", "data", "construction.cost.code:CC-9"))
        self.apply("cost_code.upserted", {"id": "CC-9", "code": "95 99 00", "name": "Bollards"})
        self.drain()
        self.assertDone(event)
        self.assertEqual(event.record_ref.amount_total, 1000.0)

    def test_a_cost_code_twice_is_a_business_error(self):
        event = self.approved(lines=[{"cost_code_id": "CC-1", "amount": 1.0}, {"cost_code_id": "CC-1", "amount": 2.0}])
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("appears twice", event.error_message)
        self.assertFalse(self.project_p1.budget_ids)


@tagged("post_install", "-at_install")
class TestBudgetRevised(BudgetEventsCase):
    def test_revision_is_a_new_version_that_moves_the_revised_budget(self):
        original = self.approved().record_ref
        event = self.revised()
        self.assertDone(event)
        revision = event.record_ref
        self.assertEqual((revision.version, revision.state, revision.reason, revision.previous_budget_id),
                         (2, "approved", REASON, original))
        self.assertEqual(original.state, "superseded")
        self.assertEqual(self.items(revision), [("95 12 00", 300000.0, 310000.0, 10000.0),
                                                ("95 50 00", 25000.0, 20000.0, -5000.0)])
        self.assertEqual((revision.amount_total, revision.change_total), (330000.0, 5000.0))
        # The history is kept: version 1 still says what the original budget was.
        self.assertEqual(self.items(original), [("95 12 00", 0.0, 300000.0, 300000.0),
                                                ("95 50 00", 0.0, 25000.0, 25000.0)])
        steel = self.budget_line("CC-1")
        self.assertEqual((steel.original_amount, steel.revision_amount, steel.revised_amount),
                         (300000.0, 10000.0, 310000.0))
        self.assertEqual((steel.quantity, steel.unit), (124.0, "TON"))
        self.assertEqual(self.budget_line("CC-2").revised_amount, 20000.0)

    def test_revisions_and_change_orders_add_up(self):
        # Revised budget = original + approved revisions' changes + approved change orders' budget.
        self.approved()
        self.revised()
        self.change_order("change_order.approved", amount=15000.0).with_user(self.construction_manager).action_accept()
        # Version 3 names only what it changes; the rest is carried forward from version 2.
        event = self.revised(version=3, timestamp="2026-11-20T08:00:00Z", reason="Canopy steel bought in bulk.",
                             lines=[{"cost_code_id": "CC-1", "amount": 305000.0}])
        self.assertDone(event)
        self.assertEqual(self.items(event.record_ref), [("95 12 00", 310000.0, 305000.0, -5000.0),
                                                        ("95 50 00", 20000.0, 20000.0, 0.0)])
        steel = self.budget_line("CC-1")
        self.assertEqual((steel.original_amount, steel.revision_amount, steel.change_amount, steel.revised_amount),
                         (300000.0, 5000.0, 15000.0, 320000.0))
        self.assertEqual(self.versions(), [(3, "approved"), (2, "superseded"), (1, "superseded")])
        self.env.flush_all()
        row = self.env["construction.job.cost"].search(
            [("project_id", "=", self.project_p1.id), ("cost_code_id", "=", steel.cost_code_id.id)])
        self.assertEqual((row.original_budget, row.approved_revisions, row.approved_changes, row.revised_budget),
                         (300000.0, 5000.0, 15000.0, 320000.0))

    def test_replays_change_nothing(self):
        approved, revised = self.approved(), self.revised()
        revision = revised.record_ref
        items = revision.item_ids
        for event in (approved, revised):
            event.with_user(self.user_manager).action_replay()
            self.drain()
            self.assertDone(event)
        self.assertEqual(revision.item_ids, items, "the same item records, not new ones")
        self.assertEqual(self.versions(), [(2, "approved"), (1, "superseded")])
        self.assertEqual(self.budget_line("CC-1").revised_amount, 310000.0)

    def test_the_original_cannot_change_once_revised(self):
        self.approved()
        self.revised()
        event = self.approved(timestamp="2026-11-12T08:00:00Z", lines=[{"cost_code_id": "CC-1", "amount": 1.0}])
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("superseded by version 2", event.error_message)
        self.assertEqual(self.budget_line("CC-1").original_amount, 300000.0)

    def test_revision_before_its_budget_waits_for_it(self):
        revised = self.revised()
        self.assertEqual((revised.state, revised.error_class, revised.waiting_for),
                         ("failed", "data", "construction.budget:BUD-1"))
        self.approved()
        self.drain()
        self.assertDone(revised)
        self.assertEqual(self.budget_line("CC-1").revised_amount, 310000.0)

    def test_older_or_equal_version_is_a_business_error(self):
        self.approved()
        self.assertDone(self.revised(version=3, timestamp="2026-11-12T08:00:00Z"))
        late = self.revised(version=2)
        self.assertEqual((late.state, late.error_class), ("failed", "business"))
        self.assertIn("already at version 3", late.error_message)
        again = self.revised(version=3, id="BUD-1-OTHER", timestamp="2026-11-13T08:00:00Z")
        self.assertEqual((again.state, again.error_class), ("failed", "business"))
        self.assertEqual(self.versions(), [(3, "approved"), (1, "superseded")])

    def test_revision_of_another_projects_budget_is_a_business_error(self):
        self.approved()
        self.apply("project.upserted", {"id": "P-2", "name": "Pier 10", "customer_id": "C-1", "currency": "USD"})
        event = self.revised(project_id="P-2")
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertIn("belongs to project Pier 9 Cargo Shed", event.error_message)

    def test_approval_gate_summary(self):
        self.approved()
        setting = self.system.setting_ids.filtered(lambda s: s.event_type == "budget.revised")
        setting.requires_approval = True
        event = self.revised()
        self.assertEqual(event.state, "awaiting_approval")
        self.assertEqual(event.approval_summary,
                         "Revise the budget of Pier 9 Cargo Shed to version 2 (+5000.00): " + REASON)
        self.assertEqual(self.project_p1.budget_version, 1)
        event.with_user(self.construction_manager).action_accept()
        self.assertDone(event)
        self.assertEqual(self.project_p1.budget_version, 2)


@tagged("post_install", "-at_install")
class TestBudgetByHand(BudgetEventsCase):
    def test_revision_needs_an_approved_budget(self):
        cost_code = self.Mapping._find(self.system, "construction.cost.code", "CC-1").record_ref
        revision = self.env["construction.budget"].create({
            "project_id": self.project_p1.id, "version": 2, "reason": "Early revision",
            "item_ids": [Command.create({"cost_code_id": cost_code.id, "amount": 1.0})],
        })
        with self.assertRaisesRegex(UserError, "has no approved budget to revise"):
            revision.action_approve()

    def test_manager_enters_and_approves_a_revision(self):
        self.approved()
        cost_code = self.Mapping._find(self.system, "construction.cost.code", "CC-2").record_ref
        Budget = self.env["construction.budget"].with_user(self.construction_manager)
        draft = Budget.create({"project_id": self.project_p1.id,
                               "item_ids": [Command.create({"cost_code_id": cost_code.id, "amount": 27500.0})]})
        self.assertEqual(draft.version, 2, "the next version by default")
        with self.assertRaisesRegex(UserError, "needs a reason"):
            draft.action_approve()
        draft.reason = "Stair stringers re-measured."
        with self.assertRaises(AccessError):
            draft.with_user(self.construction_user).action_approve()
        draft.action_approve()
        self.assertEqual((draft.state, draft.approved_by_id), ("approved", self.construction_manager))
        self.assertEqual(self.items(draft), [("95 12 00", 300000.0, 300000.0, 0.0),
                                             ("95 50 00", 25000.0, 27500.0, 2500.0)])
        self.assertEqual(self.budget_line("CC-2").revised_amount, 27500.0)
        with self.assertRaisesRegex(UserError, "stays as part of the project's budget history"):
            draft.unlink()

    def test_users_read_budgets_and_managers_write_them(self):
        budget = self.approved().record_ref
        as_user = budget.with_user(self.construction_user)
        self.assertEqual(as_user.item_ids.mapped("amount"), [300000.0, 25000.0])
        with self.assertRaises(AccessError):
            as_user.reason = "Not mine to change"
        budget.with_user(self.construction_manager).reason = "Bid estimate of 2 November"
