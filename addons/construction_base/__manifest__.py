# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Base",
    "summary": (
        "Projects as construction contracts, cost codes on their own analytic plan, construction roles, "
        "and the partner / project / cost code events"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_sync", "project", "account"],
    "data": [
        "security/construction_base_groups.xml",
        "security/ir.model.access.csv",
        "security/construction_base_rules.xml",
        "data/analytic_plan.xml",
        "views/construction_cost_code_views.xml",
        "views/project_project_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "views/construction_sync_trace_actions.xml",
    ],
    "demo": [
        "demo/construction_base_demo.xml",
    ],
    "application": True,
    "installable": True,
}
