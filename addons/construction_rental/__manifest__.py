# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Equipment Rental",
    "summary": (
        "Equipment rates, rental lines (dispatch, usage, downtime, return, transfer), monthly billing runs, "
        "utilization, and the rental events"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_base", "maintenance"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_rental_rules.xml",
        "data/construction_rental_data.xml",
        "data/construction_rental_products.xml",
        "views/maintenance_equipment_views.xml",
        "views/construction_rental_line_views.xml",
        "views/construction_rental_usage_views.xml",
        "views/construction_equipment_utilization_views.xml",
        "views/construction_rental_billing_views.xml",
        "views/construction_rental_billing_wizard_views.xml",
        "views/construction_rental_rate_wizard_views.xml",
        "views/res_company_views.xml",
        "views/menus.xml",
        "views/construction_sync_trace_actions.xml",
    ],
    "demo": [
        "demo/construction_rental_demo.xml",
    ],
    "installable": True,
}
