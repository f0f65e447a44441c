# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Timesheets",
    "summary": "Cost codes on tasks: timesheets land on project x cost code in the job cost",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_base", "hr_timesheet"],
    "data": [
        "views/project_task_views.xml",
    ],
    "auto_install": True,
    "installable": True,
}
