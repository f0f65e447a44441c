from odoo.tests import HttpCase, tagged

COCKPIT_URL = "/odoo/construction-cockpit"


@tagged("post_install", "-at_install")
class TestCockpitInBrowser(HttpCase):
    """Opens the cockpit client action in Chromium: the TypeScript bundle must load, register the
    action and render without a console error (any console.error fails browser_js)."""

    def test_cockpit_renders(self):
        self.browser_js(
            COCKPIT_URL,
            """
            const title = document.querySelector('.o_csync_cockpit_title');
            if (title.textContent.trim() !== 'Integration Cockpit') {
                console.error('unexpected cockpit title: ' + title.textContent);
            } else {
                console.log('test successful');
            }
            """,
            ready="!!document.querySelector('.o_csync_cockpit_title')",
            login="admin",
        )
