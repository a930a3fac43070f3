from django.apps import AppConfig


class GraphConfig(AppConfig):
    name = "porch.graph"
    label = "graph"
    verbose_name = "Graph"
