from django.apps import AppConfig


class SimulationConfig(AppConfig):
    name = "porch.simulation"
    verbose_name = "Feed simulation"
