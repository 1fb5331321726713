"""The admin site, every model's changelist checked before it is shown.

A filter in the query string that the database cannot run (`?published_at__year=99999`,
or 9999, whose year after is out of range) fails only when the list is read, after
Django's own checks: each changelist builds its query first, and refuses such a filter
as the admin refuses any bad one, with its "invalid" redirect (`?e=1`), never a 500.
This holds for every model registered, the project's own and those of other apps
(auth, axes).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList


class CheckedChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        try:
            queryset = super().get_queryset(request, exclude_parameters)
            queryset.query.get_compiler(queryset.db).as_sql()
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class CheckedChangeLists:
    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        if issubclass(changelist, CheckedChangeList):
            return changelist
        return type(changelist.__name__, (CheckedChangeList, changelist), {})


class NewsroomSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        checked = type(admin_class.__name__, (CheckedChangeLists, admin_class), {})
        checked.__module__ = admin_class.__module__
        super().register(model_or_iterable, checked, **options)


class NewsroomAdminConfig(AdminConfig):
    default_site = "config.admin.NewsroomSite"
