from odoo.tests import HttpCase, tagged

COCKPIT_URL = "/odoo/construction-cockpit"


@tagged("post_install", "-at_install")
class TestCockpitInBrowser(HttpCase):
    """Opens the cockpit client action in Chromium: the TypeScript bundle must load, register the
    action and render without a console error (any console.error fails browser_js), under the
    engine's own app, whose menu Construction Sync > Sync > Cockpit opens it again."""

    def test_cockpit_renders(self):
        self.browser_js(
            COCKPIT_URL,
            """
            (async () => {
                const until = async (find, what) => {
                    for (let i = 0; i < 100; i++) {
                        const found = find();
                        if (found) {
                            return found;
                        }
                        await new Promise((resolve) => setTimeout(resolve, 100));
                    }
                    throw new Error('not found: ' + what);
                };
                const title = document.querySelector('.o_csync_cockpit_title');
                if (title.textContent.trim() !== 'Integration Cockpit') {
                    console.error('unexpected cockpit title: ' + title.textContent);
                    return;
                }
                const brand = await until(() => document.querySelector(
                    '.o_main_navbar .o_menu_brand[data-menu-xmlid="construction_sync.menu_root"]'), 'app brand');
                if (brand.textContent.trim() !== 'Construction Sync') {
                    console.error('unexpected app: ' + brand.textContent);
                    return;
                }
                const sync = await until(() => document.querySelector(
                    '.o_menu_sections [data-menu-xmlid="construction_sync.menu_sync"]'), 'Sync section');
                if (sync.textContent.trim() !== 'Sync') {
                    console.error('unexpected section: ' + sync.textContent);
                    return;
                }
                sync.click();
                const cockpit = await until(() => document.querySelector(
                    '.dropdown-menu [data-menu-xmlid="construction_sync.cockpit_menu"]'), 'Cockpit menu item');
                if (cockpit.textContent.trim() !== 'Cockpit') {
                    console.error('unexpected menu item: ' + cockpit.textContent);
                    return;
                }
                title.classList.add('o_csync_test_old_title');
                cockpit.click();
                await until(() => document.querySelector('.o_csync_cockpit_title:not(.o_csync_test_old_title)'),
                            'cockpit opened from its menu');
                console.log('test successful');
            })().catch((error) => console.error(String(error)));
            """,
            ready="!!document.querySelector('.o_csync_cockpit_title')",
            login="admin",
        )
