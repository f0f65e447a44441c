from odoo import _, api, fields, models
from odoo.exceptions import UserError

from .construction_compliance_rule import ACTIONS, LIEN_WAIVER


class ConstructionVendorCompliance(models.Model):
    """A vendor enrolled in compliance tracking in one company: its documents, its lien waivers
    and the person who follows them. The company's rules hold only enrolled vendors, so a supplier
    nobody asked for a certificate is never blocked; the compliance platform enrols a vendor by
    sending its documents (vendor_compliance.updated), people by creating this record."""

    _name = "construction.vendor.compliance"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Vendor Compliance"
    _order = "partner_id"
    _rec_name = "partner_id"

    partner_id = fields.Many2one(
        "res.partner", string="Vendor", required=True, index=True, ondelete="cascade",
        domain="[('is_company', '=', True)]", tracking=True,
    )
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    responsible_id = fields.Many2one(
        "res.users", string="Compliance Responsible", domain="[('share', '=', False)]", tracking=True,
        help="Receives the activities 30 days before a document expires.",
    )
    document_ids = fields.One2many("construction.compliance.document", "vendor_compliance_id", string="Documents")
    lien_waiver_ids = fields.One2many("construction.lien.waiver", "vendor_compliance_id", string="Lien Waivers")
    project_ids = fields.Many2many(
        "project.project", compute="_compute_project_ids", search="_search_project_ids", string="Projects",
        help="Projects the vendor has confirmed commitments on.",
    )
    blocks_commitment = fields.Boolean(compute="_compute_blocks", string="Commitments Held")
    blocks_bill = fields.Boolean(compute="_compute_blocks", string="Bills Held")
    blocks_payment = fields.Boolean(compute="_compute_blocks", string="Payments Held")
    blocks_receipt = fields.Boolean(compute="_compute_blocks", string="Receipts Held")
    block_summary = fields.Text(compute="_compute_blocks", string="What Blocks What")
    expiring_count = fields.Integer(compute="_compute_blocks", string="Expiring in 30 Days")

    _sql_constraints = [
        ("partner_company_uniq", "unique(partner_id, company_id)", "This vendor is already enrolled in this company."),
    ]

    # The model events about a vendor's compliance map to: its mapping is their watermark, and
    # events held by a vendor's non-compliance wait for it (see _wait_key).
    WAIT_MODEL = "construction.vendor.compliance"

    @api.depends_context("date")
    @api.depends("document_ids.status", "document_ids.expiry_date", "document_ids.effective_date",
                 "document_ids.coverage_amount", "document_ids.document_type", "lien_waiver_ids.amount",
                 "lien_waiver_ids.bill_id", "lien_waiver_ids.waiver_type", "lien_waiver_ids.status")
    def _compute_blocks(self):
        today = fields.Date.context_today(self)
        for profile in self:
            lines = []
            for action in ACTIONS:
                problems = profile._problems(action)
                if action == "payment":
                    problems = problems + profile._waiver_problems()
                profile[ACTIONS[action].replace("block_", "blocks_")] = bool(problems)
                if problems:
                    lines.append("%s: %s" % (profile._action_label(action), "; ".join(problems)))
            profile.block_summary = "\n".join(lines)
            profile.expiring_count = len(profile.document_ids.filtered(lambda d: d._expires_within(today, 30)))

    def _commitment_domain(self):
        return [("construction_project_id", "!=", False), ("state", "in", ("purchase", "done"))]

    def _compute_project_ids(self):
        for profile in self:
            orders = self.env["purchase.order"].search(self._commitment_domain() + [
                ("partner_id", "child_of", profile.partner_id.id), ("company_id", "=", profile.company_id.id),
            ])
            profile.project_ids = orders.construction_project_id

    def _search_project_ids(self, operator, value):
        orders = self.env["purchase.order"].search(
            self._commitment_domain() + [("construction_project_id", operator, value)])
        return [("partner_id", "in", orders.partner_id.commercial_partner_id.ids)]

    def _waiver_problems(self):
        """The lien waivers missing to pay the vendor's open subcontractor bills in full."""
        self.ensure_one()
        bills = self.env["account.move"].sudo().search([
            ("move_type", "=", "in_invoice"), ("state", "=", "posted"), ("company_id", "=", self.company_id.id),
            ("commercial_partner_id", "=", self.partner_id.id), ("construction_project_id", "!=", False),
            ("payment_state", "in", ("not_paid", "partial")),
        ], order="invoice_date, id")
        Waiver = self.env["construction.lien.waiver"]
        return [problem for bill in bills for problem in Waiver._payment_problems(bill, bill.amount_residual)]

    def _action_label(self, action):
        return {
            "commitment": _("Confirming commitments"), "bill": _("Posting bills"),
            "payment": _("Paying bills"), "receipt": _("Receiving goods"),
        }[action]

    def _problems(self, action, on_date=None):
        """Sentences naming each document that holds `action` for this vendor: missing, expired,
        not yet effective, not accepted or below the rule's minimum coverage. Lien waivers are
        checked per payment (construction.lien.waiver._payment_problems), not here."""
        self.ensure_one()
        on_date = on_date or fields.Date.context_today(self)
        problems = []
        Rule = self.env["construction.compliance.rule"]
        labels = dict(Rule._fields["document_type"]._description_selection(self.env))
        for rule in Rule._for(self.company_id, action):
            if rule.document_type == LIEN_WAIVER:
                continue
            documents = self.document_ids.filtered(lambda d, t=rule.document_type: d.document_type == t)
            if documents.filtered(lambda d, r=rule: d._satisfies(r, on_date)):
                continue
            label = labels[rule.document_type]
            if not documents:
                problems.append(_("%(type)s of %(vendor)s is missing", type=label, vendor=self.partner_id.name))
                continue
            latest = documents.sorted(lambda d: (d.expiry_date or fields.Date.today(), d.id))[-1]
            problems.append(latest._problem(rule, on_date, label))
        return problems

    def _check(self, action, operation):
        """Raises the UserError holding `operation` (a sentence like "Bill X cannot be posted")."""
        for profile in self:
            problems = profile._problems(action)
            if problems:
                raise UserError(profile._hold_message(operation, problems))

    def _hold_message(self, operation, problems):
        return _(
            "%(operation)s: %(problems)s. Record the current document under Construction > Compliance > "
            "Vendor Compliance (%(vendor)s), or have the compliance platform send it; the hold lifts as soon "
            "as it is there.",
            operation=operation, problems="; ".join(problems), vendor=self.partner_id.name,
        )

    @api.model
    def _of(self, partner, company):
        """The enrolment of `partner`'s company in `company` (empty when not enrolled)."""
        if not partner:
            return self.browse()
        return self.sudo().search([
            ("partner_id", "=", partner.commercial_partner_id.id), ("company_id", "=", company.id),
        ], limit=1)

    # ------------------------------------------------------------------------------------------
    # events held by a vendor's non-compliance
    # ------------------------------------------------------------------------------------------

    @api.model
    def _wait_key(self, system, partner):
        """The mapping key an event of `system` held by `partner`'s compliance waits for: the
        vendor's compliance object under the vendor's external id in that system, which is what
        vendor_compliance.updated maps (or a key of the Odoo id for a vendor the system never
        sent, released only by documents recorded by hand)."""
        Mapping = self.env["construction.sync.mapping"].sudo()
        commercial = partner.commercial_partner_id
        mapping = Mapping.search([
            ("system_id", "=", system.id), ("res_model", "=", "res.partner"),
            ("res_id", "in", (partner | commercial).ids),
        ], order="id", limit=1)
        return Mapping._key(self.WAIT_MODEL, mapping.external_id if mapping else "partner-%s" % commercial.id)

    def _release_waiting(self):
        """Documents changed by hand: events waiting for this vendor's compliance go back to the
        queue through the engine's own release path (mapping the vendor's compliance object),
        where they apply or wait again with the reason of the moment. Not while a
        vendor_compliance.updated is applied: the engine maps the vendor's compliance object
        itself after the handler, which releases the same events."""
        if self.env.context.get("construction_compliance_from_event"):
            return
        Mapping = self.env["construction.sync.mapping"].sudo()
        Event = self.env["construction.sync.event"].sudo()
        for profile in self:
            partners = profile.partner_id | profile.partner_id.child_ids
            external_ids = set(Mapping.search([
                ("res_model", "=", "res.partner"), ("res_id", "in", partners.ids),
            ]).mapped("external_id")) | {"partner-%s" % profile.partner_id.id}
            waiting = Event.search([
                ("company_id", "=", profile.company_id.id), ("state", "=", "failed"), ("error_class", "=", "data"),
                ("waiting_for", "in", [Mapping._key(self.WAIT_MODEL, external_id) for external_id in external_ids]),
            ])
            for system in waiting.system_id:
                for key in set(waiting.filtered(lambda e, s=system: e.system_id == s).mapped("waiting_for")):
                    external_id = key.partition(":")[2]
                    mapping = Mapping._find(system, self.WAIT_MODEL, external_id)
                    if mapping:
                        mapping.write({"res_id": profile.id})
                    else:
                        Mapping.create({"system_id": system.id, "res_model": self.WAIT_MODEL,
                                        "external_id": external_id, "res_id": profile.id})

    # ------------------------------------------------------------------------------------------
    # expiry ahead
    # ------------------------------------------------------------------------------------------

    def _responsible_for(self, document_type):
        self.ensure_one()
        rule = self.env["construction.compliance.rule"].sudo().search([
            ("company_id", "=", self.company_id.id), ("document_type", "=", document_type),
        ], limit=1)
        return (self.responsible_id or rule.responsible_id or self.company_id.construction_responsible_id
                or self.env.ref("base.user_admin"))

    @api.model
    def _cron_expiry_activities(self, days=30):
        """Schedules one activity per document expiring within `days` (accepted, not yet
        replaced by a later one of its type) for the vendor's compliance responsible."""
        today = fields.Date.context_today(self)
        activity_type = self.env.ref("construction_compliance.mail_activity_type_compliance_expiry")
        documents = self.env["construction.compliance.document"].sudo().search([
            ("status", "=", "accepted"), ("expiry_date", ">=", today),
            ("expiry_date", "<=", fields.Date.add(today, days=days)), ("expiry_activity_scheduled", "=", False),
        ])
        for document in documents.filtered(lambda d: not d._replaced()):
            profile = document.vendor_compliance_id
            document.activity_schedule(
                activity_type_id=activity_type.id, date_deadline=document.expiry_date,
                user_id=profile._responsible_for(document.document_type).id,
                summary=_("%(type)s of %(vendor)s expires on %(date)s", type=document._type_label(),
                          vendor=profile.partner_id.name, date=document.expiry_date),
                note=_("Ask %(vendor)s for the renewal: from the expiry on, the company's compliance rules hold "
                       "its commitments, bills, payments or receipts.", vendor=profile.partner_id.name),
            )
            document.expiry_activity_scheduled = True
        return True

    # ------------------------------------------------------------------------------------------
    # the cockpit's card
    # ------------------------------------------------------------------------------------------

    @api.model
    def cockpit_compliance_summary(self):
        """The compliance card of the cockpit, over the user's companies: documents expiring
        within 30 days, vendors blocked now (any action), and both per vendor (blocked first).
        `allowed` is False for a cockpit user who may not read vendor compliance (an integration
        user without a construction role): the card then shows nothing."""
        if not self.has_access("read"):
            return {"allowed": False, "expiring": 0, "blocking": 0, "days": 30, "by_vendor": []}
        profiles = self.search([("company_id", "in", self.env.companies.ids)])
        by_vendor = []
        for profile in profiles:
            blocked = [action for action in ACTIONS if profile[ACTIONS[action].replace("block_", "blocks_")]]
            if blocked or profile.expiring_count:
                by_vendor.append({
                    "id": profile.id, "vendor": profile.partner_id.display_name, "company": profile.company_id.name,
                    "expiring": profile.expiring_count, "blocked_actions": blocked,
                    "reasons": profile.block_summary or "",
                })
        by_vendor.sort(key=lambda row: (not row["blocked_actions"], -row["expiring"], row["vendor"]))
        return {
            "allowed": True,
            "expiring": sum(row["expiring"] for row in by_vendor),
            "blocking": sum(1 for row in by_vendor if row["blocked_actions"]),
            "days": 30,
            "by_vendor": by_vendor,
        }
