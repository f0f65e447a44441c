from . import construction_sync_handler
from . import construction_sync_publisher
from . import crm_lead
from . import crm_lead_estimate_line
from . import project_project
