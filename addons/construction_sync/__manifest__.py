# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Sync",
    "summary": "Construction finance in Odoo, fed by signed webhooks from field, rental, "
    "document and estimating systems, with an integration cockpit",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["mail", "analytic", "project", "hr_timesheet", "account", "purchase", "purchase_stock", "maintenance"],
    "data": [
        "security/construction_sync_groups.xml",
        "security/ir.model.access.csv",
        "security/construction_sync_rules.xml",
        "data/ir_cron.xml",
        "data/analytic_plan.xml",
        "views/construction_sync_system_views.xml",
        "views/construction_sync_event_action_wizard_views.xml",
        "views/construction_sync_event_views.xml",
        "views/construction_sync_mapping_views.xml",
        "views/construction_sync_rejected_delivery_views.xml",
        "views/cockpit_action.xml",
        "views/construction_cost_code_views.xml",
        "views/project_project_views.xml",
        "views/construction_pay_application_views.xml",
        "report/construction_pay_application_report.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
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
}
