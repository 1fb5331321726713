"""Any saved or deleted row that readers could see marks the pages as changed."""

from django.db.models.signals import post_delete, post_save

from results.cache import content_changed


def mark_changed(sender, **kwargs):
    if not kwargs.get("raw"):
        content_changed()


def watch(*models):
    for model in models:
        post_save.connect(mark_changed, sender=model, dispatch_uid=f"changed-{model.__name__}")
        post_delete.connect(mark_changed, sender=model, dispatch_uid=f"deleted-{model.__name__}")
