"""French for the people who work the integration, through the addons' own i18n/fr.po files
(Odoo's code translations, as for any installed language):

- a handler's business error and the engine's data error are stored on the event in the language
  of the event's company, whoever or whatever applied it (here the test's English environment);
- the cockpit's strings reach Odoo's term extractor from the built bundle, and a French user's
  web client receives and shows the French cockpit title.
"""

import json
import re

from odoo.tests import new_test_user, tagged
from odoo.tools import file_open
from odoo.tools.translate import PoFileReader, TranslationModuleReader, code_translations

from .common import SyncHttpCase

BUNDLE = "construction_sync/static/src/construction_sync.js"
COCKPIT_URL = "/odoo/construction-cockpit"


@tagged("post_install", "-at_install")
class TestI18n(SyncHttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fr_FR")
        cls.company.partner_id.lang = "fr_FR"
        cls.french_user = new_test_user(cls.env, login="csync_fr", groups="construction_sync.group_user",
                                        lang="fr_FR")
        books = cls.company.currency_id.name
        cls.books, cls.foreign = books, "EUR" if books != "EUR" else "USD"

    def test_business_error_is_stored_in_the_companys_language(self):
        self.assertIn(self.env.lang, (None, "en_US"), "the environment applying the event is English")
        event = self.deliver("project.upserted", {"id": "P-FR", "name": "Chantier", "currency": self.foreign})
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "business"))
        self.assertEqual(
            event.error_message,
            "Le projet P-FR est en %s mais %s tient sa comptabilité en %s : les contrats dans une autre devise "
            "ne sont pas pris en charge." % (self.foreign, self.company.name, self.books),
        )

        # The company's language decides, not a translation always on: in English it stays English.
        self.company.partner_id.lang = "en_US"
        event = self.deliver("project.upserted", {"id": "P-EN", "name": "Site", "currency": self.foreign})
        self.drain()
        self.assertEqual(
            event.error_message,
            "Project P-EN is in %s but %s keeps its books in %s: contracts in another currency are not "
            "supported." % (self.foreign, self.company.name, self.books),
        )

    def test_data_error_names_what_is_missing_in_french(self):
        # The sentence is the engine's (construction_sync), the missing thing the handler's
        # (construction_base): each comes from its own addon's fr.po.
        event = self.deliver("project.upserted", {"id": "P-FR", "name": "Chantier", "customer_id": "C-FR"})
        self.drain()
        self.assertEqual((event.state, event.error_class), ("failed", "data"))
        self.assertEqual(
            event.error_message,
            "Référence inconnue (client 'C-FR') venant de Field Platform : l'événement repart automatiquement "
            "dès qu'elle arrive ou est associée.",
        )

    def test_cockpit_strings_reach_odoos_extractor(self):
        """Every _t("...") of the committed bundle is a term Odoo's exporter extracts for
        construction_sync (a renamed _t2 is not), it is in the committed .pot as a JavaScript term,
        and the French ones carry their translation."""
        with file_open(BUNDLE) as bundle:
            source = bundle.read()
        calls = {json.loads(literal) for literal in re.findall(r'\b_t\w*\(\s*("(?:[^"\\\n]|\\.)*")', source)}
        self.assertIn("Integration Cockpit", calls)
        reader = TranslationModuleReader(self.env.cr, modules=["construction_sync"], lang="fr_FR")
        extracted = {
            src: value for _module, _type, name, _res_id, src, value, _comments in reader if name == "addons/" + BUNDLE
        }
        self.assertEqual(set(extracted), calls, "the bundle hides _t calls from Odoo's extractor")
        self.assertEqual(extracted["Integration Cockpit"], "Cockpit d'intégration")
        with file_open("construction_sync/i18n/construction_sync.pot", "rb") as pot:
            templated = {row["src"] for row in PoFileReader(pot) if "odoo-javascript" in row["comments"]}
        self.assertLessEqual(calls, templated, "construction_sync.pot is stale: run scripts/i18n")

    def test_french_user_gets_the_french_cockpit(self):
        # The French .po entry is a JavaScript term of the committed .pot, hence loaded for the web.
        web = code_translations.get_web_translations("construction_sync", "fr_FR")["messages"]
        self.assertIn({"id": "Integration Cockpit", "string": "Cockpit d'intégration"}, web)

        # What the web client of a French user downloads (localization_service.js) ...
        self.authenticate("csync_fr", "csync_fr")
        reply = self.url_open("/web/webclient/translations/test?lang=fr_FR").json()
        messages = {m["id"]: m["string"] for m in reply["modules"]["construction_sync"]["messages"]}
        self.assertEqual(reply["lang"], "fr_FR")
        self.assertEqual(messages.get("Integration Cockpit"), "Cockpit d'intégration")

        # ... and what it shows.
        self.browser_js(
            COCKPIT_URL,
            """
            const title = document.querySelector('.o_csync_cockpit_title').textContent.trim();
            if (title === "Cockpit d'intégration") {
                console.log('test successful');
            } else {
                console.error('the cockpit title is not French: ' + title);
            }
            """,
            ready="!!document.querySelector('.o_csync_cockpit_title')",
            login="csync_fr",
        )
