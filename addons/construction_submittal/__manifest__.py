# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Submittals",
    "summary": (
        "Submittal register with revisions; purchase lines held until their submittal is approved, "
        "receipts and bills refused meanwhile"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_base", "purchase_stock"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_submittal_rules.xml",
        "data/construction_submittal_data.xml",
        "views/construction_submittal_views.xml",
        "views/purchase_order_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/construction_submittal_demo.xml",
    ],
    "installable": True,
}
