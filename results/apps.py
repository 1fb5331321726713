from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "results"
    verbose_name = "Results"

    def ready(self):
        from results import models
        from results.signals import watch

        watch(
            models.Election,
            models.Party,
            models.Region,
            models.County,
            models.Constituency,
            models.Candidacy,
            models.Result,
            models.PublishedScoreboard,
            models.PublishedTally,
        )
