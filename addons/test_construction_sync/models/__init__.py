from . import construction_sync_test_contact
from . import construction_sync_test_site
from . import construction_sync_handler
from . import construction_sync_publisher
