from django import template

register = template.Library()


@register.filter
def signed(change):
    """`+211`, `−251` (a true minus sign) or `0`."""
    if change > 0:
        return f"+{change}"
    if change < 0:
        return f"\u2212{-change}"
    return "0"
