# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Sync",
    "summary": (
        "Signed, idempotent webhook inbox with runners, retries, dead letters, replay, audit and an "
        "integration cockpit"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["base", "mail", "web", "bus"],
    # Fernet for signing secrets at rest (sync/secret_store.py); Odoo itself requires it.
    "external_dependencies": {"python": ["cryptography"]},
    "data": [
        "security/construction_sync_groups.xml",
        "security/ir.model.access.csv",
        "security/construction_sync_rules.xml",
        "security/construction_sync_outbound_rules.xml",
        "security/construction_sync_reconcile_rules.xml",
        "security/construction_sync_alert_rules.xml",
        "data/ir_cron.xml",
        "data/construction_sync_outbound_cron.xml",
        "data/construction_sync_reconcile_cron.xml",
        "data/construction_sync_alert_data.xml",
        "views/construction_sync_system_views.xml",
        "views/construction_sync_event_action_wizard_views.xml",
        "views/construction_sync_replay_wizard_views.xml",
        "views/construction_sync_watermark_reset_wizard_views.xml",
        "views/construction_sync_event_views.xml",
        "views/construction_sync_mapping_views.xml",
        "views/construction_sync_rejected_delivery_views.xml",
        "views/construction_sync_subscription_views.xml",
        "views/construction_sync_outbox_views.xml",
        "views/construction_sync_alert_views.xml",
        "views/cockpit_action.xml",
        "views/menus.xml",
        "views/construction_sync_reconcile_views.xml",
    ],
    "demo": [
        "demo/construction_sync_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "construction_sync/static/src/construction_sync.js",
            "construction_sync/static/src/construction_sync.xml",
            "construction_sync/static/src/construction_sync.scss",
        ],
    },
    "application": True,
    "installable": True,
    "post_load": "_post_load",
    "uninstall_hook": "_uninstall_hook",
}
