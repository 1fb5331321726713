"""The newsroom's roles: which group may do what in the admin.

Editors write the live pages; the results desk enters declarations, the exit poll and
keeps the published scoreboard. Neither can do the other's job. Results supervisors are the desk
and may also publish one desk member's entry alone under double entry
(settings.RESULTS_DOUBLE_ENTRY). Superusers can do everything.
"""

from django.contrib.auth.models import Group, Permission

EDITORS = "Editors"
RESULTS_DESK = "Results desk"
RESULTS_SUPERVISORS = "Results supervisors"

ALL = ("view", "add", "change", "delete")

ROLES = {
    EDITORS: {
        "liveblog": {
            "livepage": ("view", "change"),
            "post": ALL,
            "block": ALL,
            "postconstituency": ALL,
        },
        # To choose the seats a post is about, and read the county pages' results.
        "results": {"constituency": ("view",), "county": ("view",), "party": ("view",)},
    },
    RESULTS_DESK: {
        "results": {
            "declaration": ("view", "change"),
            "candidacy": ALL,
            "result": ("view",),
            "resultrevision": ("view",),
            "publishedscoreboard": ("view", "change"),
            "publishedtally": ALL,
            # Typed in as it is announced at 22:00, corrected if need be; never deleted.
            "exitpoll": ("view", "add", "change"),
            "exitpollline": ALL,
            "constituency": ("view",),
            "county": ("view",),
            "party": ("view",),
        },
    },
}
DESK_PERMISSIONS = ROLES[RESULTS_DESK]["results"]
ROLES[RESULTS_SUPERVISORS] = {
    "results": {**DESK_PERMISSIONS, "declarationentry": ("view", "publish_single_entry")},
}


def roles_setup():
    """Create the groups and give each exactly its permissions; safe to run again."""
    for name, apps in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        # Django's own actions give `<action>_<model>`; a model's own permission
        # (DeclarationEntry's publish_single_entry) is named in full.
        codenames = [
            (app, action if "_" in action else f"{action}_{model}")
            for app, models in apps.items()
            for model, actions in models.items()
            for action in actions
        ]
        permissions = [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in codenames
        ]
        group.permissions.set(permissions)
