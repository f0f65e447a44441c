from . import test_install
from . import test_cockpit_tour
from . import test_signature
from . import test_schema
from . import test_webhook_http
from . import test_processing
from . import test_actions
from . import test_concurrency
