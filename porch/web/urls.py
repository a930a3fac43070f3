"""The web pages (namespace ``web``). Every state change is a POST; GET never changes state."""

from django.urls import path, register_converter

from .views import accounts, circles, feed, moderation, notifications, people, posts, settings


class IdConverter:
    """A database id: 1 to 18 digits, so an absurd number is a 404, not an overflow."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")

app_name = "web"

urlpatterns = [
    path("", feed.home, name="home"),
    path("signup/", accounts.signup, name="signup"),
    path("invite/<str:code>/", accounts.signup, name="invite"),
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("logout/", accounts.LogoutView.as_view(), name="logout"),
    path("posts/new", feed.create_post, name="post_create"),
    path("feed/order", feed.order, name="feed_order"),
    path("posts/<id:post_id>/", posts.post_detail, name="post"),
    path("posts/<id:post_id>/reply", posts.reply, name="post_reply"),
    path("posts/<id:post_id>/edit", posts.edit, name="post_edit"),
    path("posts/<id:post_id>/delete", posts.delete, name="post_delete"),
    path("posts/<id:post_id>/react", posts.react, name="post_react"),
    path("posts/<id:post_id>/history", posts.history, name="post_history"),
    path("posts/<id:post_id>/reply-policy", posts.reply_policy, name="post_reply_policy"),
    path("posts/<id:post_id>/hide", posts.hide, name="post_hide"),
    path("posts/<id:post_id>/reactions", posts.reactions, name="post_reactions"),
    path("posts/<id:post_id>/report", moderation.report_post, name="post_report"),
    path("posts/<id:post_id>/notes", posts.propose_note, name="post_notes"),
    path("notes/", posts.notes_to_rate, name="notes_to_rate"),
    path("notes/<id:note_id>/rate", posts.rate_note, name="note_rate"),
    path("notes/<id:note_id>/delete", posts.delete_note, name="note_delete"),
    path("@<str:username>/", people.profile, name="profile"),
    path("@<str:username>/friend", people.friend, name="friend"),
    path("@<str:username>/follow", people.follow, name="follow"),
    path("@<str:username>/safety", people.safety, name="safety"),
    path("@<str:username>/report", moderation.report_member, name="member_report"),
    path("friends/", people.friends, name="friends"),
    path("circles/", circles.index, name="circles"),
    path("circles/<id:circle_id>/", circles.detail, name="circle"),
    path("notifications/", notifications.index, name="notifications"),
    path("notifications/read-all", notifications.read_all, name="notifications_read_all"),
    path("notifications/<id:notification_id>/read", notifications.read, name="notification_read"),
    path("settings/", settings.profile, name="settings"),
    path("settings/password", settings.password, name="settings_password"),
    path("settings/feed", settings.feed, name="settings_feed"),
    path("settings/invites", settings.invites, name="settings_invites"),
    path("settings/tokens", settings.tokens, name="settings_tokens"),
    path("settings/blocks", people.blocks, name="settings_blocks"),
    path("settings/filters", settings.filters, name="settings_filters"),
    path("settings/reports", moderation.my_reports, name="settings_reports"),
    path("moderation/", moderation.queue, name="moderation"),
    path("moderation/reports/<id:report_id>/", moderation.case, name="moderation_case"),
    path("moderation/log", moderation.log, name="moderation_log"),
    path("moderation/@<str:username>/", moderation.member, name="moderation_member"),
]
