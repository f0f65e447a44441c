from . import test_job_cost_timesheet
