from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

from ..models.res_company import RETENTION_ACCOUNTS


class ConstructionRetentionReleaseWizard(models.TransientModel):
    """Releases retention held on a project for one partner: a customer invoice (receivable
    side) or a subcontractor bill (payable side) whose lines move the amount out of the
    retention account, posted at once so the held balance is right for the next release.

    The release names what it releases: one line per invoice or bill whose retention it
    releases, oldest first, each with that document's name, its amount, and the taxes of the
    document's retention line (none when retention was taxed when billed; the deferred tax
    when it is taxed when released)."""

    _name = "construction.retention.release.wizard"
    _description = "Release Retention"

    project_id = fields.Many2one("project.project", required=True)
    side = fields.Selection(
        [("receivable", "Customer (retention receivable)"), ("payable", "Subcontractor (retention payable)")],
        required=True, default="receivable",
    )
    partner_id = fields.Many2one("res.partner", required=True)
    company_id = fields.Many2one("res.company", compute="_compute_company_id")
    currency_id = fields.Many2one(related="company_id.currency_id")
    held = fields.Monetary(compute="_compute_held", string="Held Now")
    release_all = fields.Boolean(string="Release Everything Held", default=True)
    amount = fields.Monetary(string="Amount to Release")
    date = fields.Date(required=True, default=fields.Date.context_today)
    label = fields.Char(default=lambda self: _("Retention released"))
    source_summary = fields.Text(
        string="Releases", compute="_compute_source_summary",
        help="The invoices or bills whose retention this release releases, oldest first.",
    )

    @api.model
    def _action_open(self, context):
        return {
            "type": "ir.actions.act_window",
            "name": _("Release Retention"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        model, res_id = self.env.context.get("active_model"), self.env.context.get("active_id")
        if model == "project.project" and res_id and "project_id" not in values:
            project = self.env[model].browse(res_id)
            values.update(project_id=project.id, side="receivable",
                          partner_id=project.partner_id.commercial_partner_id.id)
        elif model == "account.move" and res_id and "project_id" not in values:
            move = self.env[model].browse(res_id)
            values.update(project_id=move.construction_project_id.id, side=move._retention_side(),
                          partner_id=move.commercial_partner_id.id)
        return values

    @api.depends("project_id")
    def _compute_company_id(self):
        for wizard in self:
            wizard.company_id = wizard.project_id.company_id or self.env.company

    @api.depends("project_id", "partner_id", "side")
    def _compute_held(self):
        for wizard in self:
            wizard.held = wizard._held()

    @api.depends("project_id", "partner_id", "side", "release_all", "amount")
    def _compute_source_summary(self):
        for wizard in self:
            currency = wizard.currency_id
            amount = wizard.held if wizard.release_all else wizard.amount
            lines = []
            if wizard.project_id and wizard.partner_id and currency.compare_amounts(amount, 0.0) > 0:
                lines = ["%s: %s" % (source.display_name or wizard.label, currency.format(part))
                         for (source, _taxes), part in wizard._allocate(amount)]
            wizard.source_summary = "\n".join(lines)

    @api.onchange("release_all", "held")
    def _onchange_release_all(self):
        if self.release_all:
            self.amount = self.held

    def _held(self):
        self.ensure_one()
        if not (self.project_id and self.partner_id and self.side):
            return 0.0
        # The view reads journal items and the company's retention accounts straight from SQL.
        self.env.flush_all()
        self.env["construction.retention.balance"].invalidate_model()
        balances = self.env["construction.retention.balance"].search([
            ("company_id", "=", self.company_id.id), ("project_id", "=", self.project_id.id),
            ("partner_id", "=", self.partner_id.commercial_partner_id.id), ("side", "=", self.side),
        ])
        return sum(balances.mapped("balance"))

    def _open_sources(self):
        """[((document, taxes), amount held)] for the partner on the project, oldest document
        first, read from the posted journal items on the retention account (the books, as the
        balance is). A release line counts against the document it names, a credit note against
        the invoice it reverses; retention given back without naming a document (releases made
        before releases named them, a reduced rate on a later pay application, a manual entry)
        is taken from the oldest documents first."""
        self.ensure_one()
        account = self.company_id[RETENTION_ACCOUNTS[self.side]["field"]]
        if not account:
            return []
        sign = 1 if self.side == "receivable" else -1
        lines = self.env["account.move.line"].search([
            ("company_id", "=", self.company_id.id), ("account_id", "=", account.id), ("parent_state", "=", "posted"),
            ("move_id.construction_project_id", "=", self.project_id.id),
            ("partner_id", "=", self.partner_id.commercial_partner_id.id),
        ])
        held = {}
        for line in lines:
            document = line.construction_retention_source_id or line.move_id.reversed_entry_id or line.move_id
            key = (document, line.tax_ids)
            held[key] = held.get(key, 0.0) + sign * line.balance
        currency = self.currency_id
        unnamed = -sum(amount for amount in held.values() if currency.compare_amounts(amount, 0.0) < 0)
        sources = []
        for key in sorted((k for k, amount in held.items() if currency.compare_amounts(amount, 0.0) > 0),
                          key=lambda k: (k[0].date, k[0].id, k[1].ids)):
            amount = held[key]
            taken = min(amount, unnamed)
            unnamed -= taken
            if currency.compare_amounts(amount - taken, 0.0) > 0:
                sources.append((key, currency.round(amount - taken)))
        return sources

    def _allocate(self, amount):
        """[((document, taxes), amount released)]: `amount` taken from the oldest documents.
        What no document holds (the balance and the documents always agree, so never in
        practice) is released on an untaxed line naming none."""
        self.ensure_one()
        currency = self.currency_id
        parts = []
        for key, open_amount in self._open_sources():
            if currency.compare_amounts(amount, 0.0) <= 0:
                break
            part = currency.round(min(open_amount, amount))
            parts.append((key, part))
            amount = currency.round(amount - part)
        if currency.compare_amounts(amount, 0.0) > 0:
            parts.append(((self.env["account.move"], self.env["account.tax"]), amount))
        return parts

    def action_release(self):
        self.ensure_one()
        move = self._release()
        return {"type": "ir.actions.act_window", "res_model": "account.move", "res_id": move.id,
                "views": [(False, "form")]}

    @api.model
    def _release_for(self, project_id, partner_id, side, amount, date):
        """Releases `amount` without the dialog (demo data, scripts); returns the posted move."""
        return self.create({"project_id": project_id, "partner_id": partner_id, "side": side,
                            "release_all": False, "amount": amount, "date": date})._release()

    def _release(self):
        """Creates and posts the release document; returns it."""
        self.ensure_one()
        currency = self.currency_id
        # Two people releasing on the same project at once must not both see the full balance.
        self.env.cr.execute("SELECT id FROM project_project WHERE id = %s FOR UPDATE", (self.project_id.id,))
        held = self._held()
        amount = currency.round(held if self.release_all else self.amount)
        if currency.compare_amounts(amount, 0) <= 0:
            raise UserError(_("Nothing to release: %(partner)s has no retention held on %(project)s.",
                              partner=self.partner_id.display_name, project=self.project_id.display_name)
                            if currency.is_zero(held) else _("The amount to release must be positive."))
        if currency.compare_amounts(amount, held) > 0:
            raise UserError(_(
                "Cannot release %(amount)s: only %(held)s of retention is held for %(partner)s on %(project)s.",
                amount=currency.format(amount), held=currency.format(held),
                partner=self.partner_id.display_name, project=self.project_id.display_name,
            ))
        parts = self._allocate(amount)
        move = self.env["account.move"].create({
            "move_type": "out_invoice" if self.side == "receivable" else "in_invoice",
            "partner_id": self.partner_id.id,
            "company_id": self.company_id.id,
            "invoice_date": self.date,
            "construction_project_id": self.project_id.id,
            "ref": self.label,
            "invoice_origin": ", ".join(dict.fromkeys(source.name for (source, _taxes), _part in parts if source)),
        })
        move.write({"invoice_line_ids": [
            Command.create(move._construction_retention_line_vals(
                part, self._line_label(source), kind="released", taxes=taxes, source=source,
            ))
            for (source, taxes), part in parts
        ]})
        move.action_post()
        self.env["construction.sync.outbox"]._publish("retention.released", move)
        return move

    def _line_label(self, source):
        if not source:
            return self.label
        document = "%s (%s)" % (source.name, source.ref) if source.ref else source.name
        return _("%(label)s: %(document)s", label=self.label, document=document)
