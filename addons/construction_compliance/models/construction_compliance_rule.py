from odoo import api, fields, models

# The documents a compliance platform tracks per vendor. Lien waivers are kept per project and
# payment (construction.lien.waiver) but are ruled the same way, so they share the selection.
DOCUMENT_TYPES = [
    ("general_liability", "General Liability"),
    ("workers_compensation", "Workers' Compensation"),
    ("auto_liability", "Auto Liability"),
    ("umbrella", "Umbrella / Excess"),
    ("licence", "Contractor Licence"),
    ("tax_form", "Tax Form (W-9)"),
]
LIEN_WAIVER = "lien_waiver"
RULE_TYPES = DOCUMENT_TYPES + [(LIEN_WAIVER, "Lien Waivers")]

# What a rule may hold, and the field saying whether it does.
ACTIONS = {
    "commitment": "block_commitment",
    "bill": "block_bill",
    "payment": "block_payment",
    "receipt": "block_receipt",
}


class ConstructionComplianceRule(models.Model):
    """What one document type means for a company's vendors enrolled in compliance tracking:
    whether it is required, the minimum coverage, and which actions a missing, expired or
    insufficient one holds. No rule, no hold: a company opts in type by type."""

    _name = "construction.compliance.rule"
    _description = "Vendor Compliance Rule"
    _order = "company_id, document_type"

    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    document_type = fields.Selection(RULE_TYPES, required=True)
    active = fields.Boolean(default=True)
    required = fields.Boolean(
        default=True,
        help="Enrolled vendors must have a current document of this type (for lien waivers: the "
        "waivers of each payment of a subcontractor bill).",
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    minimum_coverage = fields.Monetary(
        currency_field="currency_id", help="Insurance below this coverage counts as missing. 0: any coverage.",
    )
    block_commitment = fields.Boolean(string="Blocks Commitments", help="Confirming new purchase orders waits.")
    block_bill = fields.Boolean(string="Blocks Bills", help="Posting vendor bills waits (credit notes do not).")
    block_payment = fields.Boolean(string="Blocks Payments", help="Registering payments of vendor bills waits.")
    block_receipt = fields.Boolean(string="Blocks Receipts", help="Validating receipts from the vendor waits.")
    responsible_id = fields.Many2one(
        "res.users", string="Responsible", domain="[('share', '=', False)]",
        help="Receives the expiry activities of this document type when the vendor has no compliance "
        "responsible of its own.",
    )

    _sql_constraints = [
        ("document_type_uniq", "unique(company_id, document_type)",
         "A company has one rule per document type."),
    ]

    @api.depends("document_type", "company_id")
    def _compute_display_name(self):
        labels = dict(self._fields["document_type"]._description_selection(self.env))
        for rule in self:
            rule.display_name = labels.get(rule.document_type, "")

    @api.model
    def _for(self, company, action):
        """The active required rules of `company` that hold `action`."""
        return self.sudo().search([
            ("company_id", "=", company.id), ("required", "=", True), (ACTIONS[action], "=", True),
        ])
