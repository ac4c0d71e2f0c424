"""Exodus: an open command center for outbound export enforcement."""

__version__ = "0.1.0"
