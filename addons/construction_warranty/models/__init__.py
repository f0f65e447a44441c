from . import construction_sync_handler
from . import project_project
from . import project_task
from . import res_partner
