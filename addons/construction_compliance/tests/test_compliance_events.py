from odoo.tests import tagged

from .common import ComplianceCase


@tagged("post_install", "-at_install")
class TestComplianceEvents(ComplianceCase):
    """The compliance platform and the project platform on one system: a steel erector whose
    general liability lapses while its commitment and invoice arrive."""

    def setUp(self):
        super().setUp()
        self.apply("partner.upserted", {"id": "C-1", "name": "Bayfront Port Authority", "kind": "customer"})
        self.apply("partner.upserted", {"id": "V-1", "name": "Ironclad Steel Erectors", "kind": "subcontractor"})
        self.apply("project.upserted", {"id": "P-1", "name": "Pier 9 Cargo Shed", "customer_id": "C-1",
                                        "contract_value": 2500000.0, "retention_percent": 5, "currency": "USD"})
        self.apply("cost_code.upserted", {"id": "CC-1", "code": "95 12 00", "name": "Structural Steel"})
        self.vendor = self.Mapping._find(self.system, "res.partner", "V-1").record_ref

    def apply(self, event_type, data, **kwargs):
        event = self.deliver(event_type, data, **kwargs)
        self.drain()
        return event

    def compliance(self, expiry_in, reference="GL-1", timestamp="2026-11-23T08:00:00Z", **extra):
        return self.apply("vendor_compliance.updated", {
            "vendor_id": "V-1",
            "documents": [{"id": "COI-%s" % reference, "type": "general_liability", "reference": reference,
                           "insurer": "Harbor Casualty", "coverage_amount": 2000000.0,
                           "effective_date": str(self.days(expiry_in - 365)), "expiry_date": str(self.days(expiry_in)),
                           "status": "accepted"}],
            **extra,
        }, timestamp=timestamp)

    def commitment(self):
        return self.apply("commitment.approved", {
            "id": "SC-1", "project_id": "P-1", "vendor_id": "V-1", "number": "SC-1", "retention_percent": 10,
            "lines": [{"id": "SC-1-1", "cost_code_id": "CC-1", "description": "Erect steel frame",
                       "quantity": 1, "unit_price": 300000.0}],
        })

    def invoice(self):
        return self.apply("subcontractor_invoice.received", {
            "id": "INV-1", "commitment_id": "SC-1", "vendor_reference": "ISE-0042", "invoice_date": "2026-11-20",
            "lines": [{"commitment_line_id": "SC-1-1", "amount": 75000.0}],
        }, timestamp="2026-11-23T09:00:00Z")

    def assertDone(self, event):
        self.assertEqual(event.state, "done", event.error_message)

    def audit(self, event):
        return event.audit_ids.sorted(lambda a: (a.at, a.id)).mapped("action")

    def test_update_enrols_the_vendor_and_updates_its_documents(self):
        event = self.compliance(200)
        self.assertDone(event)
        profile = event.record_ref
        self.assertEqual((profile._name, profile.partner_id, profile.company_id),
                         ("construction.vendor.compliance", self.vendor, self.company))
        self.assertEqual(profile.document_ids.mapped("reference"), ["GL-1"])
        self.assertEqual(profile.document_ids.coverage_amount, 2000000.0)
        # The same certificate again (the platform's later review): updated, not duplicated.
        again = self.apply("vendor_compliance.updated", {
            "vendor_id": "V-1", "documents": [{"id": "COI-GL-1", "type": "general_liability", "reference": "GL-1",
                                               "coverage_amount": 2500000.0, "status": "accepted",
                                               "expiry_date": str(self.days(200))}],
        }, timestamp="2026-11-24T08:00:00Z")
        self.assertDone(again)
        self.assertEqual(len(profile.document_ids), 1)
        self.assertEqual(profile.document_ids.coverage_amount, 2500000.0)

    def test_unknown_vendor_waits_for_it(self):
        event = self.apply("vendor_compliance.updated", {"vendor_id": "V-9", "documents": []})
        self.assertEqual((event.state, event.error_class, event.waiting_for), ("failed", "data", "res.partner:V-9"))

    def test_commitment_waits_for_the_renewal_from_the_platform(self):
        self.compliance(-1, reference="GL-OLD")
        event = self.commitment()
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        self.assertEqual(event.waiting_for, "construction.vendor.compliance:V-1")
        self.assertIn("Commitment SC-1 cannot be confirmed: General Liability GL-OLD of Ironclad Steel Erectors "
                      "expired on %s" % self.days(-1), event.error_message)
        self.assertIn("applied by itself when the document arrives", event.error_message)
        self.assertFalse(self.Mapping._find(self.system, "purchase.order", "SC-1").res_id)
        renewal = self.compliance(364, reference="GL-NEW", timestamp="2026-11-24T08:00:00Z")
        self.assertDone(renewal)
        self.drain()
        self.assertDone(event)
        self.assertEqual(event.record_ref.state, "purchase")
        self.assertEqual(event.record_ref.amount_untaxed, 300000.0)
        self.assertEqual(self.audit(event), ["claim", "fail", "release", "claim", "done"])
        release = event.audit_ids.filtered(lambda a: a.action == "release")
        self.assertEqual(release.message, "Released: construction.vendor.compliance:V-1 is now mapped")

    def test_invoice_waits_then_the_renewal_recorded_by_hand_releases_it(self):
        self.compliance(200)
        self.assertDone(self.commitment())
        profile = self.env["construction.vendor.compliance"]._of(self.vendor, self.company)
        profile.document_ids.expiry_date = self.days(-3)
        event = self.invoice()
        self.assertEqual((event.state, event.error_class, event.waiting_for),
                         ("failed", "data", "construction.vendor.compliance:V-1"))
        self.assertIn("Bill ISE-0042 cannot be recorded: General Liability GL-1 of Ironclad Steel Erectors expired "
                      "on %s" % self.days(-3), event.error_message)
        self.env["construction.compliance.document"].create({
            "vendor_compliance_id": profile.id, "document_type": "general_liability", "reference": "GL-2",
            "coverage_amount": 2000000.0, "effective_date": self.days(-3), "expiry_date": self.days(362),
            "status": "accepted",
        })
        self.assertEqual(event.state, "pending")
        self.drain()
        self.assertDone(event)
        bill = event.record_ref
        # 75 000.00 billed, 10 % retained: 67 500.00 payable.
        self.assertEqual((bill.state, bill.amount_untaxed, bill.amount_total), ("draft", 67500.0, 67500.0))
        self.assertEqual(self.audit(event), ["claim", "fail", "release", "claim", "done"])

    def test_still_expired_update_leaves_the_event_waiting(self):
        self.compliance(-1, reference="GL-OLD")
        event = self.commitment()
        self.compliance(-1, reference="GL-OLD", timestamp="2026-11-24T08:00:00Z")
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        self.assertEqual(self.audit(event), ["claim", "fail", "release", "claim", "fail"])

    def test_lien_waivers_from_the_platform(self):
        self.compliance(200)
        self.commitment()
        self.invoice()
        waiting = self.apply("vendor_compliance.updated", {
            "vendor_id": "V-1", "lien_waivers": [{"id": "LW-1", "project_id": "P-1", "bill_id": "INV-404",
                                                  "type": "conditional", "scope": "progress",
                                                  "through_date": "2026-11-30", "amount": 67500.0}],
        }, timestamp="2026-11-25T08:00:00Z")
        self.assertEqual((waiting.state, waiting.waiting_for), ("failed", "account.move:INV-404"))
        event = self.apply("vendor_compliance.updated", {
            "vendor_id": "V-1", "lien_waivers": [{"id": "LW-1", "project_id": "P-1", "bill_id": "INV-1",
                                                  "type": "conditional", "scope": "progress",
                                                  "through_date": "2026-11-30", "amount": 67500.0}],
        }, timestamp="2026-11-26T08:00:00Z")
        self.assertDone(event)
        waiver = self.Mapping._find(self.system, "construction.lien.waiver", "LW-1").record_ref
        bill = self.Mapping._find(self.system, "account.move", "INV-1").record_ref
        self.assertEqual((waiver.bill_id, waiver.amount, waiver.waiver_type, waiver.project_id.name),
                         (bill, 67500.0, "conditional", "Pier 9 Cargo Shed"))

    def test_vendor_enrolled_by_hand_is_released_by_its_first_platform_update(self):
        # No compliance event about V-1 yet: the commitment waits for a mapping the first
        # vendor_compliance.updated creates.
        profile = self.env["construction.vendor.compliance"].create({"partner_id": self.vendor.id})
        event = self.commitment()
        self.assertEqual((event.state, event.waiting_for), ("failed", "construction.vendor.compliance:V-1"))
        self.assertIn("General Liability of Ironclad Steel Erectors is missing", event.error_message)
        update = self.compliance(300)
        self.assertDone(update)
        self.assertEqual(update.record_ref, profile)
        self.drain()
        self.assertDone(event)
        self.assertEqual(self.audit(event), ["claim", "fail", "release", "claim", "done"])
