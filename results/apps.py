from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = "Results"

    def ready(self):
        from results.signals import connect_results_models

        connect_results_models()
