# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
{
    "name": "Construction Vendor Compliance",
    "summary": (
        "Vendor insurance and licence documents, lien waivers per project and payment, and the rules "
        "that hold commitments, bills, payments and receipts of non-compliant vendors"
    ),
    "version": "18.0.1.0.0",
    "category": "Services/Project",
    "website": "https://github.com/construction-sync/construction_sync",
    "author": "construction_sync developers",
    "license": "LGPL-3",
    "depends": ["construction_contract"],
    "data": [
        "security/ir.model.access.csv",
        "security/construction_compliance_rules.xml",
        "data/construction_compliance_data.xml",
        "views/construction_vendor_compliance_views.xml",
        "views/construction_compliance_document_views.xml",
        "views/construction_lien_waiver_views.xml",
        "views/construction_compliance_rule_views.xml",
        "views/menus.xml",
    ],
    "demo": [
        "demo/construction_compliance_demo.xml",
    ],
    "installable": True,
}
