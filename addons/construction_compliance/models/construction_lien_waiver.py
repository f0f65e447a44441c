from odoo import _, api, fields, models

from .construction_compliance_document import STATUSES
from .construction_compliance_rule import LIEN_WAIVER


class ConstructionLienWaiver(models.Model):
    """A subcontractor's lien waiver for one payment of one project: conditional (effective once
    the payment clears) or unconditional (the payment was received), progress or final, through a
    date, for an amount. Paying a subcontractor bill takes the conditional waiver of this payment
    and the unconditional one of the previous payment (see _payment_problems)."""

    _name = "construction.lien.waiver"
    _inherit = ["mail.thread"]
    _description = "Lien Waiver"
    _order = "project_id, partner_id, through_date desc, id desc"

    vendor_compliance_id = fields.Many2one(
        "construction.vendor.compliance", string="Vendor Compliance", required=True, index=True, ondelete="cascade",
    )
    partner_id = fields.Many2one(related="vendor_compliance_id.partner_id", store=True, string="Vendor")
    company_id = fields.Many2one(related="vendor_compliance_id.company_id", store=True, index=True)
    project_id = fields.Many2one("project.project", string="Project", required=True, index=True, check_company=True,
                                 tracking=True)
    bill_id = fields.Many2one(
        "account.move", string="Bill Paid", required=True, index=True, check_company=True, tracking=True,
        domain="[('move_type', '=', 'in_invoice'), ('company_id', '=', company_id)]",
        help="The subcontractor bill whose payment this waiver covers.",
    )
    waiver_type = fields.Selection(
        [("conditional", "Conditional"), ("unconditional", "Unconditional")], required=True, tracking=True,
    )
    scope = fields.Selection([("progress", "Progress"), ("final", "Final")], required=True, default="progress",
                             tracking=True)
    through_date = fields.Date(required=True, tracking=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(currency_field="currency_id", required=True, tracking=True)
    status = fields.Selection(STATUSES, required=True, default="accepted", tracking=True)

    @api.depends("waiver_type", "scope", "bill_id", "through_date")
    def _compute_display_name(self):
        types = dict(self._fields["waiver_type"]._description_selection(self.env))
        scopes = dict(self._fields["scope"]._description_selection(self.env))
        for waiver in self:
            waiver.display_name = _("%(type)s %(scope)s waiver through %(date)s",
                                    type=types.get(waiver.waiver_type, ""), scope=scopes.get(waiver.scope, ""),
                                    date=waiver.through_date or "")

    @api.model_create_multi
    def create(self, vals_list):
        waivers = super().create(vals_list)
        waivers.vendor_compliance_id._release_waiting()
        return waivers

    @api.model
    def _payment_problems(self, bill, amount):
        """Sentences naming the waivers missing to pay `amount` of subcontractor bill `bill`:
        a conditional (or already unconditional) waiver for at least `amount` on this bill, and an
        unconditional waiver for the amount paid on the previous bill paid of the same vendor and
        project. Empty when the company has no lien waiver rule holding payments, the vendor is not
        enrolled, or the bill is not a subcontractor's project bill."""
        rules = self.env["construction.compliance.rule"]._for(bill.company_id, "payment").filtered(
            lambda r: r.document_type == LIEN_WAIVER)
        profile = self.env["construction.vendor.compliance"]._of(bill.partner_id, bill.company_id)
        if (not rules or not profile or bill.move_type != "in_invoice" or not bill.construction_project_id
                or not bill.partner_id.commercial_partner_id.is_subcontractor):
            return []
        currency = bill.currency_id
        waivers = profile.sudo().lien_waiver_ids.filtered(
            lambda w: w.status == "accepted" and w.project_id == bill.construction_project_id)
        problems = []
        label = bill.ref or bill.name
        if not waivers.filtered(lambda w: w.bill_id == bill and currency.compare_amounts(w.amount, amount) >= 0):
            problems.append(_(
                "the conditional lien waiver of %(vendor)s for %(amount)s on bill %(bill)s (%(project)s) is missing",
                vendor=profile.partner_id.name, amount=currency.format(amount), bill=label,
                project=bill.construction_project_id.name))
        previous = self._previous_paid_bill(bill)
        if previous:
            paid = previous.amount_total - previous.amount_residual
            if not waivers.filtered(lambda w: w.bill_id == previous and w.waiver_type == "unconditional"
                                    and currency.compare_amounts(w.amount, paid) >= 0):
                problems.append(_(
                    "the unconditional lien waiver of %(vendor)s for the previous payment (%(amount)s on bill "
                    "%(bill)s, %(project)s) is missing",
                    vendor=profile.partner_id.name, amount=currency.format(paid), bill=previous.ref or previous.name,
                    project=bill.construction_project_id.name,
                ))
        return problems

    @api.model
    def _previous_paid_bill(self, bill):
        """The latest bill of the vendor on the project already paid, wholly or in part (this very
        bill when it is being paid in instalments)."""
        candidates = self.env["account.move"].sudo().search([
            ("move_type", "=", "in_invoice"), ("state", "=", "posted"), ("company_id", "=", bill.company_id.id),
            ("commercial_partner_id", "=", bill.commercial_partner_id.id),
            ("construction_project_id", "=", bill.construction_project_id.id),
            ("payment_state", "in", ("partial", "in_payment", "paid")),
        ], order="invoice_date desc, id desc")
        return candidates[:1]
