"""Odnoklassniki (REST API): ``client.py`` signs and sends, ``parse.py`` maps, ``types.py`` reads."""

from civicpulse.collect.ok.client import OkConnector, OkSettings

__all__ = ["OkConnector", "OkSettings"]
