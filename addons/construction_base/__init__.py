from . import handlers
from . import models
