"""Signals the graph sends, for apps that keep something derived from it (trust)."""

from django.dispatch import Signal

# Sent after friendships were made or ended (inside the transaction), with ``members``.
friendships_changed = Signal()
