# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Warranty and Service",
    "summary": (
        "Substantial completion starts the warranty: retention release due, warranty end on the customer, "
        "service tickets as tasks costed to the job's warranty cost code"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_contract", "construction_timesheet"],
    "data": [
        "data/mail_activity_type_data.xml",
        "views/project_project_views.xml",
        "views/project_task_views.xml",
        "views/res_partner_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/construction_warranty_demo.xml",
    ],
    "installable": True,
}
