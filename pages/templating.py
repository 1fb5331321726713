"""Django's templates, with numbers and dates in templates shown as the code gives them.

The site is in one language and one time zone (English, UK time), and writes its
figures itself: `thousands`, `uk_time` (pages.templatetags.results_tags). Localising
every number a template shows looks up the locale's separators each time, a third of
what a page's figures cost to render (15 µs a number, a hundred numbers on the home
page), for the same digits: `{{ share }}` is 33.70 either way.
"""

from django.template import TemplateDoesNotExist
from django.template.backends.django import DjangoTemplates, Template, reraise
from django.template.context import make_context


class SiteTemplates(DjangoTemplates):
    def get_template(self, template_name):
        try:
            return UnlocalisedTemplate(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            reraise(exc, self)

    def from_string(self, template_code):
        return UnlocalisedTemplate(self.engine.from_string(template_code), self)


class UnlocalisedTemplate(Template):
    def render(self, context=None, request=None):
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        context.use_l10n = False
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            reraise(exc, self.backend)
