"""Facebook Graph API: ``client.py`` sends (and holds what Instagram shares), ``paging.py`` plans,
``parse.py`` maps, ``types.py`` reads, ``errors.py`` classifies Graph API errors and usage headers."""

from civicpulse.collect.facebook.client import FacebookConnector, FacebookSettings

__all__ = ["FacebookConnector", "FacebookSettings"]
