from odoo import models

from .construction_sync_event import BUS_SUBCHANNEL


class IrWebsocket(models.AbstractModel):
    _inherit = "ir.websocket"

    def _build_bus_channel_list(self, channels):
        """Subscribes an integration user's browser to the cockpit channel of each company the
        user may access, and of no other: construction.sync.event._notify_changed sends there.
        The channels are records chosen here, on the server (a browser can only ask for string
        channels), so nobody can listen to another company's cockpit notices."""
        channels = super()._build_bus_channel_list(channels)
        user = self.env.user
        if user and not user._is_public() and user.has_group("construction_sync.group_user"):
            channels.extend((company, BUS_SUBCHANNEL) for company in user.company_ids)
        return channels
