from odoo.tests import tagged

from odoo.addons.construction_sync.tests.common import SyncHttpCase

from ..handlers.contact import TestContactUpserted
from ..handlers.site import TestSiteUpserted
from .common import CONTACT, CONTACT_MODEL, SITE, SITE_MODEL, TEST_TYPES


@tagged("post_install", "-at_install")
class TestDeclaredEventTypes(SyncHttpCase):
    """The types an addon declares on construction.sync.handler are known to this database: the
    OpenAPI document publishes them and every system gets a settings line for each."""

    def test_the_handler_model_knows_the_test_types(self):
        handlers = self.env["construction.sync.handler"]._handlers()
        self.assertIsInstance(handlers.get(CONTACT), TestContactUpserted)
        self.assertIsInstance(handlers.get(SITE), TestSiteUpserted)
        self.assertEqual((handlers[CONTACT].object_model, handlers[SITE].object_model), (CONTACT_MODEL, SITE_MODEL))
        self.assertTrue(handlers[CONTACT].batchable)
        self.assertIsNone(handlers[SITE].approval_group, "the site gate takes the default right: integration managers")

    def test_openapi_lists_and_describes_the_test_types(self):
        response = self.url_open("/construction_sync/openapi.json")
        self.assertEqual(response.status_code, 200)
        document = response.json()
        self.assertLessEqual(set(TEST_TYPES), set(document["x-event-types"]))
        schemas = document["components"]["schemas"]
        refs = [one["$ref"] for one in
                document["paths"]["/construction_sync/webhook/{code}"]["post"]["requestBody"]["content"]
                ["application/json"]["schema"]["oneOf"]]
        for event_type, handler_class in ((CONTACT, TestContactUpserted), (SITE, TestSiteUpserted)):
            with self.subTest(event_type):
                schema = schemas[event_type]
                self.assertEqual(schema["properties"]["type"], {"const": event_type})
                self.assertEqual(schema["properties"]["data"], handler_class.schema)
                self.assertEqual(schema["examples"][0]["data"], handler_class.example)
                self.assertEqual(schema["x-object-model"], handler_class.object_model)
                self.assertIn("#/components/schemas/%s" % event_type, refs)

    def test_every_system_has_a_settings_line_per_test_type_with_the_handler_defaults(self):
        for system in (self.system, self.env["construction.sync.system"].create({"name": "Second", "code": "second"})):
            with self.subTest(system=system.code):
                lines = system.setting_ids.filtered(lambda s: s.event_type in TEST_TYPES)
                self.assertEqual(sorted(lines.mapped("event_type")), sorted(TEST_TYPES))
                self.assertEqual(
                    sorted(system.setting_ids.mapped("event_type")),
                    sorted(self.env["construction.sync.handler"]._event_types()),
                    "one line per type the database knows, no more",
                )
                for line in lines:
                    self.assertEqual((line.enabled, line.processing_mode, line.requires_approval, line.max_attempts),
                                     (True, "realtime", False, 5))
        field = self.env["construction.sync.event.setting"]._fields["event_type"]
        selection = dict(field._description_selection(self.env))
        self.assertLessEqual(set(TEST_TYPES), set(selection))
