# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Contracts",
    "summary": (
        "Change orders, budgets, commitments, subcontractor bills, AIA G702/G703 pay applications, "
        "retention and its release, job cost"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_base", "purchase"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_contract_rules.xml",
        "data/product_data.xml",
        "views/construction_change_order_views.xml",
        "views/construction_budget_views.xml",
        "views/construction_budget_line_views.xml",
        "views/purchase_order_views.xml",
        "views/account_move_views.xml",
        "views/construction_job_cost_views.xml",
        "views/project_project_views.xml",
        "views/construction_pay_application_views.xml",
        "views/construction_pay_application_line_views.xml",
        "views/construction_retention_balance_views.xml",
        "views/construction_retention_release_wizard_views.xml",
        "report/construction_pay_application_report.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "views/construction_sync_trace_actions.xml",
    ],
    "demo": [
        "demo/construction_contract_demo.xml",
        "demo/construction_billing_demo.xml",
        "demo/construction_contract_reconcile_demo.xml",
    ],
    "installable": True,
}
