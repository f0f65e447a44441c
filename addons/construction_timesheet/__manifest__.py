# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Timesheets",
    "summary": (
        "Crew hours to job cost: cost codes on tasks, approved crew sheets from the field at the loaded labor "
        "cost (burden, overtime), payroll periods and their export"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_base", "hr_timesheet"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_timesheet_rules.xml",
        "views/project_task_views.xml",
        "views/construction_crew_sheet_views.xml",
        "views/construction_payroll_period_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/construction_timesheet_demo.xml",
    ],
    "auto_install": True,
    "installable": True,
}
