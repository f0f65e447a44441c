from odoo.tests import tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestExpiryActivities(ComplianceCase):
    def activities(self, document):
        return document.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref(
                "construction_compliance.mail_activity_type_compliance_expiry"))

    def test_activity_thirty_days_ahead_once_for_the_responsible(self):
        soon = self.gl(expiry_in=30, reference="GL-SOON")
        later = self.gl(expiry_in=31, reference="WC-LATER", document_type="workers_compensation")
        Compliance = self.env["construction.vendor.compliance"]
        Compliance._cron_expiry_activities()
        activity = self.activities(soon)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.accountant)
        self.assertEqual(activity.date_deadline, self.days(30))
        self.assertEqual(activity.summary, "General Liability of Granite Line Masonry expires on %s" % self.days(30))
        self.assertFalse(self.activities(later))
        Compliance._cron_expiry_activities()
        self.assertEqual(len(self.activities(soon)), 1)

    def test_responsible_falls_back_to_the_rule(self):
        self.profile.responsible_id = False
        document = self.gl(expiry_in=10)
        self.env["construction.vendor.compliance"]._cron_expiry_activities()
        self.assertEqual(self.activities(document).user_id, self.finance_manager)

    def test_renewed_document_gets_no_activity(self):
        old = self.gl(expiry_in=10, reference="GL-OLD")
        self.gl(expiry_in=375, reference="GL-NEW")
        self.env["construction.vendor.compliance"]._cron_expiry_activities()
        self.assertFalse(self.activities(old))
        self.assertEqual(self.profile.expiring_count, 0)

    def test_expired_or_pending_documents_get_none(self):
        expired = self.gl(expiry_in=-1)
        pending = self.gl(expiry_in=5, status="pending", reference="GL-PEND")
        self.env["construction.vendor.compliance"]._cron_expiry_activities()
        self.assertFalse(self.activities(expired) | self.activities(pending))
