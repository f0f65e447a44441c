import importlib
import importlib.util
import json
import pkgutil

from odoo.tests import tagged

from .common import SyncHttpCase, envelope, signed_headers

URL = "/construction_sync/webhook/field"
PARTNER = {"id": "C-1", "name": "Quayside Test Clinic", "kind": "customer"}


def addon_of(python_module):
    """'construction_base' for 'odoo.addons.construction_base.handlers.partner'."""
    parts = python_module.split(".")
    return parts[2] if parts[:2] == ["odoo", "addons"] and len(parts) > 2 else None


def installed_event_addons(env):
    """The installed addons that build on the engine (it declares no event type itself)."""
    engine = env["ir.module.module"].search([("name", "=", "construction_sync")])
    return set(engine.downstream_dependencies().filtered(lambda m: m.state == "installed").mapped("name"))


def declared_event_types(addons):
    """{event type: addon} as the addons' code declares them, read without the handler model:
    an addon keeps its handler classes in the HANDLERS lists of its `handlers` package."""
    declared = {}
    for addon in sorted(addons):
        if importlib.util.find_spec("odoo.addons.%s.handlers" % addon) is None:
            continue
        package = importlib.import_module("odoo.addons.%s.handlers" % addon)
        modules = [package] + [importlib.import_module(info.name)
                               for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")]
        for module in modules:
            for handler_class in getattr(module, "HANDLERS", []):
                declared[handler_class.event_type] = addon
    return declared


@tagged("post_install", "-at_install")
class TestEventTypesOfInstalledAddons(SyncHttpCase):
    """Which event types exist is decided per database by its installed addons. The same test
    holds wherever it runs: with the engine alone the database knows no type at all; with
    construction_base or test_construction_sync installed, exactly theirs. It never assumes which
    addons are installed, it reads them from ir.module.module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.addons = installed_event_addons(cls.env)
        cls.declared = declared_event_types(cls.addons)

    def test_the_handler_model_knows_exactly_the_types_of_the_installed_addons(self):
        handlers = self.env["construction.sync.handler"]._handlers()
        self.assertEqual(sorted(handlers), sorted(self.declared))
        for event_type, handler in handlers.items():
            with self.subTest(event_type):
                self.assertIn(addon_of(type(handler).__module__), self.addons,
                              "declared by an installed addon built on the engine, never by the engine")
        if not self.addons:
            self.assertEqual(handlers, {}, "the engine alone knows no event type")

    def test_a_signed_delivery_of_a_type_no_installed_addon_declares_is_refused(self):
        body = json.dumps(envelope("partner.upserted", PARTNER)).encode()
        response = self.post(URL, body, signed_headers(body, webhook_id="msg_partner"))
        if "partner.upserted" in self.declared:
            # construction_base is installed in this database: the type is known here.
            self.assertEqual(response.status_code, 202, response.text)
            return
        self.assertEqual(response.status_code, 422, response.text)
        error = response.json()["error"]
        self.assertEqual(error["code"], "unknown_event_type")
        self.assertIn("'partner.upserted'", error["message"])
        if not self.declared:
            self.assertIn("none (no addon declaring event types is installed)", error["message"])
        self.assertFalse(self.Event.search([("system_id", "=", self.system.id)]))
        rejected = self.env["construction.sync.rejected.delivery"].search([("system_id", "=", self.system.id)])
        self.assertEqual((rejected.webhook_id, rejected.error_code), ("msg_partner", "unknown_event_type"))

    def test_openapi_lists_exactly_the_types_of_the_installed_addons(self):
        response = self.url_open("/construction_sync/openapi.json")
        self.assertEqual(response.status_code, 200, response.text)
        document = response.json()
        self.assertEqual(document["x-event-types"], sorted(self.declared))
        self.assertEqual(set(document["components"]["schemas"]), {"Error", *self.declared})
        one_of = (document["paths"]["/construction_sync/webhook/{code}"]["post"]["requestBody"]["content"]
                  ["application/json"]["schema"]["oneOf"])
        self.assertEqual(sorted(one["$ref"] for one in one_of),
                         sorted("#/components/schemas/%s" % t for t in self.declared))

    def test_systems_get_a_settings_line_per_type_of_the_installed_addons(self):
        new = self.env["construction.sync.system"].create({"name": "Another", "code": "another"})
        for system in (self.system, new):
            with self.subTest(system=system.code):
                self.assertEqual(sorted(system.setting_ids.mapped("event_type")), sorted(self.declared))
