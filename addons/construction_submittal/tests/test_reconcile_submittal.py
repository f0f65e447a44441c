"""Reconciliation of submittals: status and revision per submittal."""

import json

from odoo.tests import tagged

from odoo.addons.construction_base.tests.common import FinanceCase

AS_OF = "2026-11-28T23:00:00Z"


@tagged("post_install", "-at_install")
class TestReconcileSubmittal(FinanceCase):
    def test_status_and_revision(self):
        """Odoo holds SUB-88 pending at revision 0 (its status_changed event for revision 1 approved
        never arrived): two value mismatches. SUB-89 agrees."""
        Submittal = self.env["construction.submittal"]
        Mapping = self.env["construction.sync.mapping"]
        for external_id, number in (("SUB-88", "03 20 00-001"), ("SUB-89", "05 12 00-001")):
            submittal = Submittal.create({"project_id": self.project.id, "number": number, "revision": "0",
                                          "title": "Shop drawings %s" % number})
            Mapping.create({"system_id": self.system.id, "res_model": "construction.submittal",
                            "external_id": external_id, "res_id": submittal.id})
        event = self.deliver("submittal.snapshot", {
            "snapshot_id": "S-S", "as_of": AS_OF, "page": 1, "pages": 1,
            "objects": [{"id": "SUB-88", "version": "2026-11-27T10:00:00Z",
                         "values": {"status": "approved", "revision": "1"}},
                        {"id": "SUB-89", "version": "2026-11-27T10:00:00Z",
                         "values": {"status": "pending", "revision": 0}}]}, timestamp=AS_OF)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        Difference = self.env["construction.sync.difference"]
        diffs = Difference.search([("system_id", "=", self.system.id)], order="field_name")
        self.assertEqual([(d.external_id, d.field_name, d.source_value, d.odoo_value) for d in diffs],
                         [("SUB-88", "revision", '"1"', '"0"'), ("SUB-88", "status", '"approved"', '"pending"')])

    def test_take_source_values(self):
        """SUB-88: the platform approved revision 1, Odoo holds revision 0 pending: taken through
        submittal.status_changed with Odoo's project and number. SUB-90 never arrived: created
        from the snapshot's project_id and number, and mapped."""
        Mapping = self.env["construction.sync.mapping"]
        self.env["construction.sync.event.setting"].search([("system_id", "=", self.system.id)]).write(
            {"requires_approval": False})
        Mapping.create({"system_id": self.system.id, "res_model": "project.project", "external_id": "P-100",
                        "res_id": self.project.id})
        submittal = self.env["construction.submittal"].create(
            {"project_id": self.project.id, "number": "03 20 00-001", "revision": "0", "title": "Rebar"})
        Mapping.create({"system_id": self.system.id, "res_model": "construction.submittal",
                        "external_id": "SUB-88", "res_id": submittal.id})
        event = self.deliver("submittal.snapshot", {
            "snapshot_id": "S-T", "as_of": AS_OF, "page": 1, "pages": 1,
            "objects": [{"id": "SUB-88", "version": "2026-11-27T10:00:00Z",
                         "values": {"status": "approved", "revision": "1"}},
                        {"id": "SUB-90", "version": "2026-11-27T11:00:00Z",
                         "values": {"status": "pending", "revision": "0", "project_id": "P-100",
                                    "number": "09 90 00-001", "title": "Paint schedule"}}]}, timestamp=AS_OF)
        self.Processor._process_now(event)
        self.assertEqual(event.state, "done", event.error_message)
        Difference = self.env["construction.sync.difference"].with_user(self.finance_manager)
        status = Difference.search([("external_id", "=", "SUB-88"), ("field_name", "=", "status")])
        status.action_take_source()
        self.assertEqual((submittal.revision, submittal.status), ("1", "approved"))
        self.assertEqual(status.state, "taken", status.message_ids[:1].body)
        self.assertEqual(json.loads(status.event_id.payload)["data"], {
            "id": "SUB-88", "project_id": "P-100", "number": "03 20 00-001", "revision": "1", "status": "approved"})
        self.assertIn(self.finance_manager.name, status.message_ids[0].body)
        # The revision's own difference: Odoo now holds the source's value, taking it again agrees.
        revision = Difference.search([("external_id", "=", "SUB-88"), ("field_name", "=", "revision")])
        revision.action_take_source()
        self.assertEqual((revision.state, submittal.revision), ("taken", "1"))
        missing = Difference.search([("external_id", "=", "SUB-90")])
        self.assertEqual(missing.kind, "missing_in_odoo")
        missing.action_take_source()
        self.assertEqual(missing.state, "taken", missing.message_ids[:1].body)
        created = self.env["construction.submittal"].browse(
            Mapping._find(self.system, "construction.submittal", "SUB-90").res_id)
        self.assertEqual((created.project_id, created.number, created.title, created.status),
                         (self.project, "09 90 00-001", "Paint schedule", "pending"))
