"""The admin: reference data for superusers, declarations for the results desk.

Figures (candidates' votes and shares, results) change only through a Declaration,
which checks them, computes what follows from the votes and keeps a revision
(results.services.result_declare). Elsewhere in the admin they are read-only, for
superusers too: a vote typed into a candidacy would leave the verdict and the audit
trail behind it.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join

from results.models import (
    Candidacy,
    Constituency,
    County,
    Declaration,
    Election,
    Outcome,
    Party,
    PublishedScoreboard,
    PublishedTally,
    Result,
    ResultRevision,
)
from results.services import declaration_problems, result_declare, result_snapshot


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "polling_day", "total_seats"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "colour", "is_independent", "counted_with"]
    search_fields = ["name", "short_name"]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ["name", "county", "ons_code", "notional_winner"]
    list_filter = ["county"]
    search_fields = ["name", "ons_code"]
    list_select_related = ["county", "notional_winner"]


class ReadOnlyFigures:
    """An admin that shows figures and changes none: add, change and delete go through
    a Declaration (results.services.result_declare), for every user."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Candidacy)
class CandidacyAdmin(ReadOnlyFigures, admin.ModelAdmin):
    """Candidates as stored; the results desk enters their votes in a Declaration."""

    list_display = ["name", "constituency", "party", "votes", "share"]
    search_fields = ["name", "constituency__name"]
    list_select_related = ["constituency", "party"]


class ResultRevisionInline(admin.TabularInline):
    model = ResultRevision
    fields = ["changed_at", "changed_by", "source", "before", "after"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(ReadOnlyFigures, admin.ModelAdmin):
    """Results as stored; the results desk declares and corrects them as Declarations."""

    list_display = ["constituency", "outcome", "majority", "source", "declared_at", "corrected_at"]
    list_filter = ["outcome", "source"]
    search_fields = ["constituency__name"]
    list_select_related = ["constituency"]
    inlines = [ResultRevisionInline]


class PublishedTallyInline(admin.TabularInline):
    model = PublishedTally
    extra = 0


@admin.register(PublishedScoreboard)
class PublishedScoreboardAdmin(admin.ModelAdmin):
    list_display = ["election", "seats_for_majority", "seats_to_go"]
    inlines = [PublishedTallyInline]


class DeclarationFormSet(forms.BaseInlineFormSet):
    """The candidates' votes, checked together with the result fields of the page."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table's cells have no labels of their own: name each input for screen readers.
        for name, label in CANDIDACY_CELL_LABELS.items():
            if name in form.fields:
                widget = form.fields[name].widget
                # The party's select sits inside the admin's add/change-party wrapper.
                getattr(widget, "widget", widget).attrs["aria-label"] = label

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        candidates = [
            (form.cleaned_data["name"], form.cleaned_data["party"], form.cleaned_data["votes"])
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        outcome = self.data.get("outcome")
        gained_from = Party.objects.filter(pk=self.data.get("gained_from") or None).first()
        electorate = self.data.get("electorate")
        electorate = int(electorate) if electorate and electorate.isdigit() else None
        problems = declaration_problems(
            candidates=candidates, outcome=outcome, gained_from=gained_from, electorate=electorate
        )
        if problems:
            raise ValidationError(problems)


CANDIDACY_CELL_LABELS = {
    "name": "Candidate's name",
    "party": "Party",
    "votes": "Votes",
    "DELETE": "Remove this candidate",
}


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    formset = DeclarationFormSet
    fields = ["name", "party", "votes", "share"]
    readonly_fields = ["share"]
    extra = 0
    min_num = 1
    ordering = ["-votes", "name"]


class DeclarationForm(forms.ModelForm):
    """The result's own fields. Winner, majority and shares are computed from the votes."""

    outcome = forms.ChoiceField(choices=Outcome.choices)
    gained_from = forms.ModelChoiceField(
        Party.objects.all(), required=False, help_text="For a GAIN: who held it in 2019."
    )
    electorate = forms.IntegerField(
        min_value=1, required=False, help_text="If given, turnout is computed from it."
    )
    turnout = forms.DecimalField(
        min_value=0, max_value=100, decimal_places=2, required=False, help_text="Percentage."
    )
    declared_at = forms.SplitDateTimeField(
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text="When the returning officer declared; now if left empty.",
    )

    class Meta:
        model = Declaration
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        result = getattr(self.instance, "result", None)
        if result is not None:
            for name in ("outcome", "electorate", "turnout", "declared_at"):
                self.fields[name].initial = getattr(result, name)
            self.fields["gained_from"].initial = result.gained_from_id
        elif self.instance.notional_winner_id:
            self.fields["gained_from"].initial = self.instance.notional_winner_id


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    """Where the results desk declares a seat: each candidate's votes and the outcome."""

    form = DeclarationForm
    inlines = [CandidacyInline]
    list_display = ["name", "county", "verdict", "corrected"]
    list_filter = ["county"]
    search_fields = ["name"]
    readonly_fields = ["name", "county", "notional_winner", "current_result", "history"]
    fieldsets = [
        (None, {"fields": ["name", "county", "notional_winner", "current_result"]}),
        ("Result", {"fields": ["outcome", "gained_from", "electorate", "turnout", "declared_at"]}),
        ("Audit trail", {"fields": ["history"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_result()

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Result")
    def verdict(self, declaration):
        result = getattr(declaration, "result", None)
        return result.verdict if result else "Awaiting declaration"

    @admin.display(description="Corrected", boolean=True)
    def corrected(self, declaration):
        result = getattr(declaration, "result", None)
        return bool(result and result.corrected_at)

    @admin.display(description="Now")
    def current_result(self, declaration):
        result = getattr(declaration, "result", None)
        if result is None:
            return "Awaiting declaration"
        return f"{result.verdict}: {result.winner.name}, majority {result.majority:,}"

    @admin.display(description="Changes to this result")
    def history(self, declaration):
        result = getattr(declaration, "result", None)
        if result is None:
            return "None yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{revision.changed_at:%Y-%m-%d %H:%M}",
                    revision.changed_by or revision.get_source_display(),
                    describe(revision.before),
                    "→",
                    describe(revision.after),
                )
                for revision in result.revisions.select_related("changed_by")
            ),
        )
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>Before</th><th></th>"
            "<th>After</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def save_related(self, request, form, formsets, change):
        declaration = form.instance
        # The figures before the candidates' new votes are saved, for the audit trail.
        before = result_snapshot(
            Result.objects.with_parties().filter(constituency=declaration).first()
        )
        super().save_related(request, form, formsets, change)
        data = form.cleaned_data
        # The admin saves the page in one transaction, so votes and result go together.
        _, revision = result_declare(
            constituency=declaration,
            outcome=data["outcome"],
            gained_from=data["gained_from"],
            electorate=data["electorate"],
            turnout=data["turnout"],
            declared_at=data["declared_at"],
            user=request.user,
            before=before,
        )
        request.declaration_revision = revision
        if revision and revision.before:
            messages.info(
                request, f"Corrected: {describe(revision.before)} → {describe(revision.after)}"
            )

    def construct_change_message(self, request, form, formsets, add=False):
        # The admin history of a declaration says what the result was and became.
        revision = getattr(request, "declaration_revision", None)
        if revision is None:
            return "Saved; the result did not change."
        return f"{describe(revision.before) or 'Not declared'} → {describe(revision.after)}"


def describe(snapshot):
    """A result snapshot in a line: `LAB GAIN from CON, majority 3,820 (Rosie ... 18,009)`."""
    if not snapshot:
        return ""
    outcome = snapshot["outcome"]
    if snapshot.get("gained_from"):
        outcome += f" from {snapshot['gained_from']}"
    votes = ", ".join(f"{name} {count:,}" for name, count in snapshot["votes"].items())
    return f"{snapshot['party']} {outcome}, majority {snapshot['majority']:,} ({votes})"
