# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Suite",
    "summary": "Installs every construction app and the sync engine at once, with the demo company",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": [
        "construction_sync",
        "construction_base",
        "construction_contract",
        "construction_timesheet",
        "construction_rental",
        "construction_submittal",
    ],
    "data": [],
    "application": True,
    "installable": True,
}
