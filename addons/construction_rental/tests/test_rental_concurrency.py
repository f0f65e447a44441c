from datetime import datetime

from psycopg2 import errors

from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import CommittedCase


@tagged("post_install", "-at_install")
class TestRentalBillingConcurrency(CommittedCase):
    """Two billing runs in two committed transactions, as the monthly cron and an accountant's
    wizard would be: the second cannot bill from stale totals. The data is committed, so the test
    removes what it made."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            customer = env["res.partner"].create({"name": "Concurrency Customer", "customer_rank": 1})
            project = env["project.project"].create({"name": "Concurrency Job", "partner_id": customer.id})
            equipment = env["maintenance.equipment"].create({"name": "Concurrency Dozer", "rate_day": 500.0})
            line = env["construction.rental.line"].create({
                "equipment_id": equipment.id, "project_id": project.id, "direction": "out", "rate_day": 500.0})
            line.action_dispatch(datetime(2026, 11, 1))
            self.ids = {"customer": customer.id, "project": project.id, "equipment": equipment.id, "line": line.id}
        self.addCleanup(self.cleanup)

    def cleanup(self):
        with self.registry.cursor() as cr:
            env = self.env_for(cr)
            line = env["construction.rental.line"].browse(self.ids["line"])
            line.billing_ids.move_id.unlink()
            line.unlink()
            env["maintenance.equipment"].browse(self.ids["equipment"]).unlink()
            env["project.project"].browse(self.ids["project"]).unlink()
            env["res.partner"].browse(self.ids["customer"]).unlink()

    def bill(self, env, period_end):
        line = env["construction.rental.line"].browse(self.ids["line"])
        return env["construction.rental.billing"]._run(period_end, lines=line)

    def test_a_run_on_stale_totals_fails_to_serialize_and_its_retry_bills_the_rest(self):
        with self.registry.cursor() as cr_late:
            # The late run's snapshot is taken before the early run commits.
            cr_late.execute("SELECT 1")
            with self.registry.cursor() as cr_early:
                self.assertEqual(self.bill(self.env_for(cr_early), datetime(2026, 11, 15)).amount, 7000.0)
            with self.assertRaises(errors.SerializationFailure):
                self.bill(self.env_for(cr_late), datetime(2026, 12, 1))
            cr_late.rollback()
        # Odoo retries a transaction that failed to serialize; the retry sees the first billing.
        with self.registry.cursor() as cr_retry:
            self.assertEqual(self.bill(self.env_for(cr_retry), datetime(2026, 12, 1)).amount, 8000.0)
