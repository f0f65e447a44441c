# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Sync Tests",
    "summary": "Test-only event types on small test models, and the sync engine's tests that need them",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_sync"],
    "data": [
        "security/ir.model.access.csv",
    ],
    "installable": True,
}
