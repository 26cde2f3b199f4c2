"""YouTube Data API v3: ``client.py`` sends, ``paging.py`` plans, ``parse.py`` maps, ``types.py`` reads."""

from civicpulse.collect.youtube.client import YoutubeConnector, YoutubeSettings

__all__ = ["YoutubeConnector", "YoutubeSettings"]
