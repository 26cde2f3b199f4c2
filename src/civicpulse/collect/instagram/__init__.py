"""Instagram Graph API (business discovery): ``client.py`` sends, ``paging.py`` plans, ``parse.py``
maps, ``types.py`` reads; requests and errors are the Graph API's, shared with ``facebook/``."""

from civicpulse.collect.instagram.client import InstagramConnector, InstagramSettings

__all__ = ["InstagramConnector", "InstagramSettings"]
