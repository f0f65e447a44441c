# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction CRM",
    "summary": "A won opportunity (Odoo CRM or an external CRM's opportunity.won) becomes the project shell, once",
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_contract", "crm"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_crm_rules.xml",
        "views/crm_lead_views.xml",
    ],
    "demo": [
        "demo/construction_crm_demo.xml",
    ],
    "installable": True,
}
