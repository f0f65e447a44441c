from odoo import fields, models


class ConstructionCrewSheetEquipment(models.Model):
    """Equipment a crew used that day, as the field reported it. Kept as the sheet's evidence:
    the machine's cost reaches the job through the rental or equipment charges, not here."""

    _name = "construction.crew.sheet.equipment"
    _description = "Crew Sheet Equipment"
    _order = "sheet_id, id"

    sheet_id = fields.Many2one("construction.crew.sheet", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="sheet_id.company_id", store=True)
    employee_id = fields.Many2one("hr.employee", help="Who ran it, when the field said.")
    external_ref = fields.Char(string="Equipment Id", help="The field system's id of the machine.")
    name = fields.Char(string="Equipment", required=True)
    hours = fields.Float(digits=(16, 2))
