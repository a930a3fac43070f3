from django.apps import AppConfig


class PostsConfig(AppConfig):
    name = "porch.posts"
    label = "posts"
    verbose_name = "Posts"
