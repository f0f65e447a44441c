from . import models
from . import handlers
from . import publishers
