from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import AccessToken, Invite, InviteUse, Member, SiteSettings


@admin.register(Member)
class MemberAdmin(UserAdmin):
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Porch", {"fields": ("display_name", "bio", "is_public_profile", "invited_by")}),
    )
    list_display = ("username", "display_name", "email", "is_staff", "is_active", "date_joined")
    raw_id_fields = ("invited_by",)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    list_display = ("site_name", "signup_mode", "show_reaction_counts")


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("code", "created_by", "uses", "max_uses", "expires_at", "revoked")
    raw_id_fields = ("created_by",)


@admin.register(InviteUse)
class InviteUseAdmin(admin.ModelAdmin):
    list_display = ("member", "invite", "created_at")
    raw_id_fields = ("member", "invite")


@admin.register(AccessToken)
class AccessTokenAdmin(admin.ModelAdmin):
    list_display = ("member", "name", "hint", "created_at", "last_used_at")
    raw_id_fields = ("member",)
    readonly_fields = ("digest",)
