from odoo import _, api, fields, models

from .construction_compliance_rule import DOCUMENT_TYPES

STATUSES = [("pending", "Pending Review"), ("accepted", "Accepted"), ("rejected", "Deficient")]


class ConstructionComplianceDocument(models.Model):
    """One certificate or form of a vendor: an insurance policy (coverage, effective and expiry
    dates), a licence or a tax form, as the compliance platform reviewed it or as entered by hand."""

    _name = "construction.compliance.document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Vendor Compliance Document"
    _order = "partner_id, document_type, expiry_date desc, id desc"

    vendor_compliance_id = fields.Many2one(
        "construction.vendor.compliance", string="Vendor Compliance", required=True, index=True, ondelete="cascade",
    )
    partner_id = fields.Many2one(related="vendor_compliance_id.partner_id", store=True, string="Vendor")
    company_id = fields.Many2one(related="vendor_compliance_id.company_id", store=True, index=True)
    document_type = fields.Selection(DOCUMENT_TYPES, string="Type", required=True, tracking=True)
    reference = fields.Char(string="Policy / Number", tracking=True)
    insurer = fields.Char()
    currency_id = fields.Many2one(related="company_id.currency_id")
    coverage_amount = fields.Monetary(currency_field="currency_id", tracking=True)
    effective_date = fields.Date(tracking=True)
    expiry_date = fields.Date(tracking=True, index=True)
    status = fields.Selection(STATUSES, required=True, default="pending", tracking=True)
    expiry_activity_scheduled = fields.Boolean(
        readonly=True, copy=False, help="The 30-day expiry activity was scheduled (once per document).",
    )

    @api.depends("document_type", "reference", "partner_id")
    def _compute_display_name(self):
        for document in self:
            document.display_name = " ".join(filter(None, [document._type_label(), document.reference]))

    def _type_label(self):
        return dict(self._fields["document_type"]._description_selection(self.env)).get(self.document_type, "")

    def _satisfies(self, rule, on_date):
        self.ensure_one()
        return (self.status == "accepted"
                and (not self.effective_date or self.effective_date <= on_date)
                and (not self.expiry_date or self.expiry_date >= on_date)
                and self.currency_id.compare_amounts(self.coverage_amount, rule.minimum_coverage) >= 0)

    def _problem(self, rule, on_date, label):
        """Why this document does not satisfy `rule` on `on_date`, naming it."""
        self.ensure_one()
        args = {"type": label, "ref": self.reference or _("without number"), "vendor": self.partner_id.name}
        if self.status != "accepted":
            status = dict(self._fields["status"]._description_selection(self.env))[self.status]
            return _("%(type)s %(ref)s of %(vendor)s is %(status)s", status=status.lower(), **args)
        if self.expiry_date and self.expiry_date < on_date:
            return _("%(type)s %(ref)s of %(vendor)s expired on %(date)s", date=self.expiry_date, **args)
        if self.effective_date and self.effective_date > on_date:
            return _("%(type)s %(ref)s of %(vendor)s is effective only from %(date)s", date=self.effective_date, **args)
        return _("%(type)s %(ref)s of %(vendor)s covers %(coverage)s, below the %(minimum)s required",
                 coverage=self.currency_id.format(self.coverage_amount),
                 minimum=self.currency_id.format(rule.minimum_coverage), **args)

    def _expires_within(self, today, days):
        self.ensure_one()
        return (self.status == "accepted" and self.expiry_date
                and today <= self.expiry_date <= fields.Date.add(today, days=days) and not self._replaced())

    def _replaced(self):
        """A later accepted document of the same type (the renewal) is already on file."""
        self.ensure_one()
        return bool(self.vendor_compliance_id.document_ids.filtered(
            lambda d: d != self and d.document_type == self.document_type and d.status == "accepted"
            and d.expiry_date and self.expiry_date and d.expiry_date > self.expiry_date
        ))

    @api.model_create_multi
    def create(self, vals_list):
        documents = super().create(vals_list)
        documents.vendor_compliance_id._release_waiting()
        return documents

    def write(self, vals):
        result = super().write(vals)
        if set(vals) & {"status", "effective_date", "expiry_date", "coverage_amount", "document_type"}:
            self.vendor_compliance_id._release_waiting()
        return result
