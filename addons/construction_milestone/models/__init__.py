from . import construction_sync_handler
from . import project_milestone
from . import project_project
