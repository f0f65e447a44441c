from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models

# MasterFormat's section for warranties: where a job's callbacks cost when it has no code of its own.
WARRANTY_CODE = "01 78 36"


class ProjectProject(models.Model):
    """Substantial completion starts the warranty period; the contract's terms make the
    retention release due some days later, when the accountant gets a reminder and the release
    prepared for the customer."""

    _inherit = "project.project"

    construction_completion_date = fields.Date(string="Substantial Completion", tracking=True, copy=False)
    construction_warranty_months = fields.Integer(string="Warranty (months)", default=12, tracking=True)
    construction_warranty_end = fields.Date(
        string="Warranty End", compute="_compute_construction_warranty_end", store=True,
        help="Substantial completion plus the warranty months.",
    )
    construction_retention_release_days = fields.Integer(
        string="Retention Due (days)", default=30,
        help="The contract's terms: retention is due this many days after substantial completion.",
    )
    construction_retention_due_date = fields.Date(
        string="Retention Release Due", compute="_compute_construction_warranty_end", store=True,
    )
    construction_warranty_cost_code_id = fields.Many2one(
        "construction.cost.code", string="Warranty Cost Code",
        domain="[('project_id', 'in', [False, id])]",
        help="Callbacks and warranty work on the completed job cost here.",
    )
    construction_service_ticket_count = fields.Integer(compute="_compute_construction_service_ticket_count")

    @api.depends("construction_completion_date", "construction_warranty_months", "construction_retention_release_days")
    def _compute_construction_warranty_end(self):
        for project in self:
            start = project.construction_completion_date
            project.construction_warranty_end = start and start + relativedelta(
                months=project.construction_warranty_months)
            project.construction_retention_due_date = start and start + relativedelta(
                days=project.construction_retention_release_days)

    def _compute_construction_service_ticket_count(self):
        counts = dict(self.env["project.task"]._read_group(
            [("project_id", "in", self.ids), ("construction_ticket_kind", "!=", False)], ["project_id"], ["__count"]))
        for project in self:
            project.construction_service_ticket_count = counts.get(project, 0)

    def _construction_warranty_cost_code(self):
        """The job's warranty cost code, created for the project on first need."""
        self.ensure_one()
        if not self.construction_warranty_cost_code_id:
            CostCode = self.env["construction.cost.code"].sudo()
            code = CostCode.search([("project_id", "=", self.id), ("code", "=", WARRANTY_CODE)], limit=1) \
                or CostCode.create({"code": WARRANTY_CODE, "name": _("Warranty"), "project_id": self.id})
            self.sudo().construction_warranty_cost_code_id = code
        return self.construction_warranty_cost_code_id

    def _construction_complete(self, completion_date, warranty_months=None):
        """Records substantial completion: the warranty runs from it, the retention release
        falls due, and whoever follows the project is reminded with the amount held."""
        self.ensure_one()
        values = {"construction_completion_date": completion_date}
        if warranty_months is not None:
            values["construction_warranty_months"] = warranty_months
        self.write(values)
        self._construction_warranty_cost_code()
        self._construction_remind_retention()

    def _construction_retention_held(self):
        self.ensure_one()
        if not self.partner_id:
            return 0.0
        wizard = self.env["construction.retention.release.wizard"].new({
            "project_id": self.id, "partner_id": self.partner_id.commercial_partner_id.id, "side": "receivable"})
        return wizard._held()

    def _construction_remind_retention(self):
        """One reminder per project, moved when completion moves."""
        self.ensure_one()
        activity_type = self.env.ref("construction_warranty.mail_activity_type_retention_release")
        held = self._construction_retention_held()
        note = _("Substantial completion on %(date)s: the contract makes the retention release due on %(due)s. "
                 "Held now: %(held)s. Use Release Retention on the project.",
                 date=self.construction_completion_date, due=self.construction_retention_due_date,
                 held=self.currency_id.format(held))
        existing = self.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        if existing:
            existing.write({"date_deadline": self.construction_retention_due_date, "note": note})
            return existing
        user = self._construction_activity_user()
        return self.activity_schedule(
            activity_type_id=activity_type.id, date_deadline=self.construction_retention_due_date,
            summary=_("Release retention"), note=note, user_id=user.id or self.env.uid,
        )

    def action_construction_release_retention(self):
        """The customer's retention release, prepared: the contract's dialog filled in with
        everything held, dated when it falls due."""
        self.ensure_one()
        return self.env["construction.retention.release.wizard"]._action_open({
            "default_project_id": self.id, "default_side": "receivable",
            "default_partner_id": self.partner_id.commercial_partner_id.id, "default_release_all": True,
            "default_date": fields.Date.to_string(
                self.construction_retention_due_date or fields.Date.context_today(self)),
        })

    def action_view_construction_service_tickets(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Service Tickets"), "res_model": "project.task",
            "view_mode": "list,form",
            "domain": [("project_id", "=", self.id), ("construction_ticket_kind", "!=", False)],
            "context": {"default_project_id": self.id},
        }
