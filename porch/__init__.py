"""Porch: a social network for friends, family and small communities."""

__version__ = "0.1.0"
