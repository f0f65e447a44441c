from . import test_crew_sheet
from . import test_payroll_export
from . import test_timesheet
