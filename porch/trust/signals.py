"""Friendships and invites change the graph trust flows along: ask for a new run."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from porch.accounts.models import Member
from porch.graph.signals import friendships_changed


@receiver(friendships_changed, dispatch_uid="trust-friendships-changed")
def friendships_changed_receiver(sender, **kwargs):
    from .services import request_trust_run

    request_trust_run()


@receiver(post_save, sender=Member, dispatch_uid="trust-member-invited")
def member_joined(sender, instance, created, **kwargs):
    """An invite is a connection too."""
    if created and instance.invited_by_id:
        from .services import request_trust_run

        request_trust_run()
