# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Site Receipts and Three-Way Match",
    "summary": (
        "Site deliveries from the field app validate purchase receipts (backorders, over-delivery tolerance, "
        "submittal and compliance holds); vendor bills matched against received quantities and certified "
        "amounts before payment"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_compliance", "construction_submittal", "purchase_stock"],
    "data": [
        "views/stock_picking_views.xml",
        "views/account_move_views.xml",
        "views/purchase_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/construction_receiving_demo.xml",
    ],
    "post_init_hook": "post_init_hook",
    "installable": True,
}
