# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Milestone Billing",
    "summary": "Bill a contract by milestone: milestone.completed marks it reached, the accountant bills from a list",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_contract"],
    "data": [
        "views/project_milestone_views.xml",
        "views/project_project_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/construction_milestone_demo.xml",
    ],
    "installable": True,
}
