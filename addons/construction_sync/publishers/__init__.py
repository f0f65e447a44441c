from . import inbound_event
