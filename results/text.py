"""Characters no page or feed can carry, and the one rule that keeps them out.

XML 1.0 allows no C0 control character but tab, line feed and carriage return, no lone
surrogate, and neither U+FFFE nor U+FFFF; an Atom feed holding one cannot be written
at all. Every text the newsroom or an import writes is refused if it holds one (at
input: `refused_characters`, PlainText, results.documents.read_document); what reached
the database another way (a fixture, raw SQL) is stripped where it is written out
(`xml_safe`, pages.feeds).
"""

import re

from django.core.exceptions import ValidationError
from django.db import models

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text):
    """The text without the characters XML cannot carry."""
    return XML_INVALID.sub("", text)


def refused_characters(text):
    """Why the text cannot be kept, in words (`a control character (U+000B)`), or None."""
    found = XML_INVALID.search(text)
    if found is None:
        return None
    return f"a control character (U+{ord(found.group()):04X})"


def _texts(value):
    """Every string in a value: itself, or those a JSON list or object holds."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _texts(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _texts(item)


class PlainText:
    """A model whose text (every CharField and TextField, and the strings its JSON
    fields hold) refuses the characters no page or feed can carry, in `full_clean`, as
    forms and the admin call it."""

    def clean_fields(self, exclude=None):
        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                continue
            if exclude and field.name in exclude:
                continue
            texts = _texts(getattr(self, field.attname))
            refused = next(filter(None, map(refused_characters, texts)), None)
            if refused:
                message = f"The text holds {refused}, which no page or feed can carry: remove it."
                errors.setdefault(field.name, []).append(ValidationError(message, code="control"))
        if errors:
            raise ValidationError(errors)
