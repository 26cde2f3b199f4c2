"""VKontakte (API 5.199): ``client.py`` sends, ``paging.py`` plans, ``parse.py`` maps, ``types.py`` reads."""

from civicpulse.collect.vk.client import VkConnector, VkSettings

__all__ = ["VkConnector", "VkSettings"]
