from datetime import date

from odoo.tests import tagged

from .common import WarrantyCase


@tagged("post_install", "-at_install")
class TestCompletion(WarrantyCase):

    def reminders(self):
        activity_type = self.env.ref("construction_warranty.mail_activity_type_retention_release")
        return self.project.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)

    def test_completion_starts_the_warranty_and_the_retention_clock(self):
        event = self.complete(warranty_months=18)
        self.assertDone(event)
        self.assertEqual(event.record_ref, self.project)
        self.assertEqual((self.project.construction_completion_date, self.project.construction_warranty_end,
                          self.project.construction_retention_due_date),
                         (date(2026, 11, 20), date(2028, 5, 20), date(2026, 12, 20)))
        self.assertEqual(self.customer.construction_warranty_end, date(2028, 5, 20))
        self.assertEqual(self.project.construction_warranty_cost_code_id.code, "01 78 36")
        self.assertEqual(self.project.construction_warranty_cost_code_id.project_id, self.project)
        self.assertEqual(self.reminders().date_deadline, date(2026, 12, 20))

    def test_completion_sent_again_moves_the_one_reminder(self):
        self.complete()
        moved = self.complete("2026-11-27", timestamp="2026-11-27T15:00:00Z")
        self.assertDone(moved)
        self.assertEqual(len(self.reminders()), 1)
        self.assertEqual(self.reminders().date_deadline, date(2026, 12, 27))
        self.assertEqual(self.project.construction_warranty_end, date(2027, 11, 27))
        stale = self.complete("2026-11-01", timestamp="2026-11-01T15:00:00Z")
        self.assertEqual(stale.state, "stale")
        self.assertEqual(self.project.construction_completion_date, date(2026, 11, 27))

    def test_release_is_prepared_with_everything_held(self):
        invoice = self.invoice_with_retention()
        self.project.construction_retention_release_days = 45
        self.complete()
        self.assertIn("10,000.00", self.reminders().note)
        action = self.project.action_construction_release_retention()
        wizard = self.env[action["res_model"]].with_context(action["context"]).create({})
        self.assertEqual((wizard.partner_id, wizard.held, wizard.date, wizard.release_all),
                         (self.customer, 10000.0, date(2027, 1, 4), True))
        release = wizard._release()
        self.assertEqual((release.state, release.amount_total, release.construction_retention_source_ids),
                         ("posted", 10000.0, invoice))

    def test_unknown_project_waits_for_its_mapping(self):
        waiting = self.apply("project.completed", {"project_id": "P-2", "substantial_completion_date": "2026-11-20"})
        self.assertEqual((waiting.error_class, waiting.waiting_for), ("data", "project.project:P-2"))
        other = self.env["project.project"].create({"name": "Depot", "partner_id": self.customer.id})
        self.Mapping.create({"system_id": self.system.id, "res_model": "project.project", "external_id": "P-2",
                             "res_id": other.id})
        self.drain()
        self.assertDone(waiting)
        self.assertEqual(other.construction_warranty_end, date(2027, 11, 20))
