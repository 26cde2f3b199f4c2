"""X (API v2): ``client.py`` sends and plans, ``parse.py`` maps, ``types.py`` reads, ``errors.py`` classifies."""

from civicpulse.collect.x.client import XConnector, XSettings

__all__ = ["XConnector", "XSettings"]
