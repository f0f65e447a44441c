"""The test event types and what the engine's tests send with them. The shared sync world
(systems, users, delivery helpers) is the engine's: odoo.addons.construction_sync.tests.common."""

CONTACT = "test_contact.upserted"
SITE = "test_site.upserted"
CONTACT_MODEL = "construction.sync.test.contact"
SITE_MODEL = "construction.sync.test.site"
TEST_TYPES = [CONTACT, SITE]
