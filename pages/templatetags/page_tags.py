"""Where a page's fragments go (see pages.fragments)."""

from django import template

from pages import fragments
from pages.params import as_text, at_value
from results.links import page_url as address_of

register = template.Library()


@register.simple_tag(takes_context=True)
def fragment(context, kind, argument=""):
    """A fragment in a reader's page (pages.fragments.include)."""
    return fragments.include(context.get("request"), kind, argument)


@register.simple_tag(takes_context=True)
def national_strip(context):
    """The national strip: as it is now, or as it stood at the moment a page replays."""
    return replayed_fragment(context, "strip")


@register.simple_tag(takes_context=True)
def replayed_fragment(context, kind):
    """A fragment as it is now, or as it stood at the moment the page replays."""
    at = context.get("at")
    return fragment(context, kind, as_text(at) if at else "")


@register.simple_tag(name="page_url")
def page_url(name, **kwargs):
    """`{% url %}` for a reader's page by slug or id, reversed once per process
    (results.links): every page links the site's header and footer."""
    return address_of(name, **kwargs)


@register.filter(name="at_value")
def at_value_of(at):
    """How `?at=` names a moment (`03:00`): for a form that keeps the replay."""
    return at_value(at) if at else ""
