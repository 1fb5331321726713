"""The admin: reference data for superusers, declarations for the results desk.

Figures (candidates' votes and shares, results) change only through a Declaration,
which checks them, computes what follows from the votes and keeps a revision
(results.services.result_declare). Elsewhere in the admin they are read-only, for
superusers too: a vote typed into a candidacy would leave the verdict and the audit
trail behind it.
"""

import json
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from results.exit_poll import OTHERS, POLL_2024_SOURCE
from results.models import (
    Candidacy,
    Constituency,
    County,
    Declaration,
    DeclarationEntry,
    Election,
    ExitPoll,
    ExitPollLine,
    Outcome,
    Party,
    PublishedScoreboard,
    PublishedTally,
    Result,
    ResultRevision,
    ScoreboardRevision,
    changes_in_words,
    content_changes,
    scoreboard_content,
)
from results.replay import night_start
from results.services import (
    AWAITING,
    DISAGREE,
    MOST_VOTES,
    PUBLISHED,
    VOTES,
    ExitPollLineEntered,
    count_compute,
    declaration_check,
    declaration_enter,
    declaration_state,
    entries_compared,
    entry_count,
    entry_figures,
    entry_publish_alone,
    exit_poll_check,
    exit_poll_record,
    exit_poll_time_check,
    scoreboard_revision_record,
    seat_lock,
    snapshot_in_words,
)
from results.times import UK


class ReferenceData:
    """Reference data: in every superuser's menu, in no one else's. Editors and the
    results desk keep the permission to read it (choosing the seats a post is about
    searches constituencies), but their menus show only what they work with."""

    def get_model_perms(self, request):
        if request.user.is_superuser:
            return super().get_model_perms(request)
        return {}


@admin.register(Election)
class ElectionAdmin(ReferenceData, admin.ModelAdmin):
    list_display = ["name", "polling_day", "total_seats"]


@admin.register(Party)
class PartyAdmin(ReferenceData, admin.ModelAdmin):
    list_display = ["name", "short_name", "colour", "is_independent", "counted_with"]
    search_fields = ["name", "short_name"]


@admin.register(County)
class CountyAdmin(ReferenceData, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Constituency)
class ConstituencyAdmin(ReferenceData, admin.ModelAdmin):
    list_display = ["name", "county", "ons_code", "notional_winner"]
    list_filter = ["county"]
    search_fields = ["name", "ons_code"]
    list_select_related = ["county", "notional_winner"]


class DeclaredFilter(admin.SimpleListFilter):
    title = "declared"
    parameter_name = "declared"

    def lookups(self, request, model_admin):
        choices = [("yes", "Declared"), ("no", "Awaiting declaration"), ("corrected", "Corrected")]
        if settings.RESULTS_DOUBLE_ENTRY:
            choices += [("awaiting", "Awaiting a second entry"), ("disagree", "Entries disagree")]
        return choices

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(pending_entries=1)
        if self.value() == "disagree":
            return queryset.filter(pending_entries__gte=2)
        if self.value() == "yes":
            return queryset.filter(result__isnull=False)
        if self.value() == "no":
            return queryset.filter(result__isnull=True)
        if self.value() == "corrected":
            return queryset.filter(result__corrected_at__isnull=False)
        return queryset


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
class CandidacyAdmin(ReferenceData, ReadOnlyFigures, admin.ModelAdmin):
    """Candidates as stored; the results desk enters their votes in a Declaration."""

    list_display = ["name", "constituency", "party", "votes", "share"]
    search_fields = ["name", "constituency__name"]
    list_select_related = ["constituency", "party"]


class ResultRevisionInline(admin.TabularInline):
    model = ResultRevision
    fields = [
        "changed_at",
        "changed_by_name",
        "confirmed_by_name",
        "source",
        "before",
        "after",
        "note",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(ReferenceData, ReadOnlyFigures, admin.ModelAdmin):
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
class PublishedScoreboardAdmin(ReferenceData, admin.ModelAdmin):
    """The scoreboard a document printed. The results desk may keep it (a link from the
    declarations list leads here); it is not on their menu, which is Declarations."""

    list_display = ["election", "seats_for_majority", "seats_to_go"]
    inlines = [PublishedTallyInline]

    def save_model(self, request, obj, form, change):
        # Kept on the form until its lines are saved too (save_related).
        form.content_before = (
            scoreboard_content(PublishedScoreboard.objects.get(pk=obj.pk)) if change else None
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        scoreboard_revision_record(
            scoreboard=form.instance, before=form.content_before, user=request.user
        )


class History:
    """A history the app keeps of its own: read only, since history is not edited, and
    readable by whoever may read what it is about (`about`, a permission)."""

    about = ""
    list_per_page = 50

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.about)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="What changed")
    def what(self, revision):
        return ", ".join(
            name.replace("_", " ") for name in content_changes(revision.before, revision.after)
        )

    @admin.display(description="When", ordering="changed_at")
    def when(self, revision):
        return f"{timezone.localtime(revision.changed_at):%H:%M:%S %Z %-d %b}"

    @admin.display(description="Field by field")
    def changed(self, revision):
        said = changes_in_words(revision.before, revision.after)
        return format_html_join("", "<p>{}</p>", ((line,) for line in said)) or "–"


@admin.register(ScoreboardRevision)
class ScoreboardRevisionAdmin(History, admin.ModelAdmin):
    """Every change to the published scoreboard, from the admin or an import."""

    about = "results.view_publishedscoreboard"
    list_display = ["scoreboard_shown", "who", "what", "when"]
    list_display_links = ["when"]
    search_fields = ["election_name", "changed_by_name"]
    fields = ["scoreboard_shown", "who", "changed_at", "what", "changed"]
    readonly_fields = fields

    @admin.display(description="Scoreboard", ordering="election_name")
    def scoreboard_shown(self, revision):
        deleted = " (deleted)" if revision.scoreboard_id is None else ""
        return f"{revision.election_name}{deleted}"


class DeclarationFormSet(forms.BaseInlineFormSet):
    """The candidates' votes. Each row's own problems stand in its row; the checks of the
    declaration as a whole are the page's (DeclarationForm.clean), which reads these."""

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        if request is not None:
            request.declaration_formset = self

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # A table's cells have no labels of their own: name each input for screen readers.
        for name, label in CANDIDACY_CELL_LABELS.items():
            if name in form.fields:
                widget = form.fields[name].widget
                # The party's select sits inside the admin's add/change-party wrapper.
                getattr(widget, "widget", widget).attrs["aria-label"] = label
        if form.instance.pk:
            # A nominated candidate: the desk types the votes, not the name or the party.
            for name in ("name", "party"):
                if name in form.fields:
                    form.fields[name].disabled = True
            if getattr(self.instance, "result", None) is None:
                # Not declared: the box starts empty, never at a 0 that looks typed.
                form.initial["votes"] = None
        if "votes" in form.fields:
            # An empty box is refused by the declaration's check, which names the
            # candidate (results.services.declaration_check): one rule, one message.
            form.fields["votes"].required = False
            form.fields["votes"].widget.attrs.update(
                {"inputmode": "numeric", "data-votes": "", "autocomplete": "off", "required": True}
            )
        if "party" in form.fields:
            field = form.fields["party"]
            select = getattr(field.widget, "widget", field.widget)
            select.attrs["data-party"] = ""
            # Every row lists the same parties: read once, not once a row.
            if not hasattr(self, "party_choices"):
                self.party_choices = list(field.choices)
            field.choices = select.choices = self.party_choices

    def candidates(self):
        """(form, name, party, votes) of each candidate kept, once the rows are valid."""
        return [
            (
                form,
                form.cleaned_data["name"],
                form.cleaned_data["party"],
                form.cleaned_data["votes"],
            )
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


CANDIDACY_CELL_LABELS = {
    "name": "Candidate's name",
    "party": "Party",
    "votes": "Votes",
    "DELETE": "Remove this candidate",
}


class CandidacyInline(admin.TabularInline):
    model = Candidacy
    formset = DeclarationFormSet
    fields = ["name", "party", "votes", "share_now"]
    readonly_fields = ["share_now"]
    extra = 0
    min_num = 1
    # The ballot paper's order, as the returning officer reads the count out.
    ordering = ["ballot_name", "name", "pk"]
    verbose_name = "candidate"
    verbose_name_plural = "candidates: type each one's votes"

    def get_queryset(self, request):
        # Each row is headed by the candidacy's name, party and seat.
        return super().get_queryset(request).select_related("party", "constituency")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "party" and hasattr(field.widget, "can_view_related"):
            # Parties are kept by superusers elsewhere, not from a declaration.
            field.widget.can_add_related = field.widget.can_change_related = False
            field.widget.can_view_related = field.widget.can_delete_related = False
        return field

    @admin.display(description="Share")
    def share_now(self, candidacy):
        # Worked out as the votes are typed (static/js/declaration.js), saved on Save.
        return format_html(
            "<span data-share>{}</span>", f"{candidacy.share}%" if candidacy.pk else ""
        )


OUTCOME_CHOICES = [("", "As the votes and the 2019 result say"), *Outcome.choices]


class DeclarationForm(forms.ModelForm):
    """The result's own fields: the electorate or the turnout, and when. Winner, majority,
    shares and the verdict are computed from the votes; the verdict may be chosen only
    where the 2019 notional result is not known (with a reason, for the audit trail)."""

    electorate = forms.IntegerField(
        min_value=1,
        max_value=MOST_VOTES,
        required=False,
        help_text="If given, turnout is computed from it.",
    )
    turnout = forms.DecimalField(
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
        help_text="Percentage, if the electorate is not known.",
    )
    declared_at = forms.SplitDateTimeField(
        required=False,
        widget=admin.widgets.AdminSplitDateTime,
        help_text="When the returning officer declared; now if left empty.",
    )
    outcome = forms.ChoiceField(
        choices=OUTCOME_CHOICES,
        required=False,
        label="Verdict",
        help_text="Only for a seat with no 2019 notional result: otherwise it follows from "
        "the votes.",
    )
    gained_from = forms.ModelChoiceField(
        Party.objects.all(), required=False, help_text="For a GAIN you choose: who held it."
    )
    reason = forms.CharField(
        max_length=300,
        required=False,
        label="Why",
        help_text="Why you correct a result, or choose the verdict (then it is needed); "
        "kept in the audit trail.",
    )

    class Meta:
        model = Declaration
        fields = []

    request = None  # set per request by DeclarationAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        result = getattr(self.instance, "result", None)
        if result is not None:
            for name in ("electorate", "turnout", "declared_at"):
                self.fields[name].initial = getattr(result, name)
        self.fields["electorate"].widget.attrs["data-electorate"] = ""

    def clean(self):
        cleaned = super().clean()
        formset = getattr(self.request, "declaration_formset", None)
        if formset is None or not formset.is_valid():
            return cleaned
        rows = formset.candidates()
        candidates = [(name, party, votes) for _, name, party, votes in rows]
        problems = declaration_check(
            candidates=candidates,
            notional_winner=self.instance.notional_winner,
            seat=self.instance.name,
            outcome=cleaned.get("outcome") or None,
            gained_from=cleaned.get("gained_from"),
            reason=cleaned.get("reason", ""),
            electorate=cleaned.get("electorate"),
            turnout=cleaned.get("turnout"),
            declared_at=cleaned.get("declared_at"),
            kept_declared_at=getattr(getattr(self.instance, "result", None), "declared_at", None),
        )
        for where, message in problems:
            if isinstance(where, int):
                rows[where][0].add_error("votes", message)
            elif where == VOTES:
                formset.non_form_errors().append(message)
            else:
                self.add_error(where, message)
        if problems:
            # The page is not saved while any row or the table has a problem.
            self.add_error(None, "The declaration was not saved: see the notes beside the figures.")
        if problems or self.errors:
            return cleaned
        self.figures = entry_figures(
            candidates=[
                (form.instance if form.instance.pk else None, *rest) for form, *rest in rows
            ],
            electorate=cleaned.get("electorate"),
            turnout=cleaned.get("turnout"),
            declared_at=cleaned.get("declared_at"),
            outcome=cleaned.get("outcome"),
            gained_from=cleaned.get("gained_from"),
            reason=cleaned.get("reason", ""),
        )
        self.step = declaration_step(self.data)
        if self.step == CHECK:
            # Valid figures are shown in full before anything is kept: Enter, or any
            # button, only ever checks (DeclarationAdmin.render_change_form).
            self.count = count_compute(
                candidates=candidates,
                notional_winner=self.instance.notional_winner,
                outcome=cleaned.get("outcome") or None,
                gained_from=cleaned.get("gained_from"),
                electorate=cleaned.get("electorate"),
                turnout=cleaned.get("turnout"),
            )
            self.state = declaration_state(constituency=self.instance)
            self.add_error(None, "Checked: confirm to publish.")
        elif self.step == EDIT:
            self.add_error(None, "Going back to change the figures.")
        else:
            # The admin saves the page in one transaction: from here the seat is held
            # till it is saved, and the service checks the state again under the lock.
            try:
                seat_lock(constituency=self.instance, state=self.data.get("_state", ""))
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


CHECK, EDIT, CONFIRM = "check", "edit", "confirm"
# Not sent on from the check to the confirmation: the buttons and what it adds itself.
NOT_CARRIED = {"csrfmiddlewaretoken", "_save", "_continue", "_edit", "_confirm", "_alone", "_state"}


def declaration_step(data):
    """Which step of declaring a POST is: the confirmation page's Publish (CONFIRM; a
    supervisor's Publish alone too), its Go back and change (EDIT), or anything else,
    the first submit (CHECK)."""
    if "_edit" in data:
        return EDIT
    return CONFIRM if "_confirm" in data or "_alone" in data else CHECK


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    """Where the results desk declares a seat: each candidate's votes, the electorate."""

    form = DeclarationForm
    inlines = [CandidacyInline]
    list_display = ["name", "county", "verdict", "declared", "corrected"]
    list_filter = [DeclaredFilter, "region", "county"]
    search_fields = ["name"]
    list_per_page = 50
    readonly_fields = ["name", "county", "notional_winner", "current_result", "computed", "history"]
    fieldsets = [
        (None, {"fields": ["name", "county", "notional_winner", "current_result"]}),
        # Why stands open with the count: a correction's reason is kept as well as
        # the reason for a verdict the desk chose.
        ("The count", {"fields": ["computed", "electorate", "turnout", "declared_at", "reason"]}),
        (
            "Choosing the verdict (only a seat with no 2019 notional result)",
            {"fields": ["outcome", "gained_from"], "classes": ["collapse"]},
        ),
        ("Audit trail", {"fields": ["history"]}),
    ]
    change_list_template = "admin/results/declaration/change_list.html"
    change_form_template = "admin/results/declaration/change_form.html"

    class Media:
        js = ["js/declaration.js"]

    def get_queryset(self, request):
        pending = (
            DeclarationEntry.objects.pending()
            .filter(constituency=OuterRef("pk"))
            .order_by()
            .values("constituency")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .with_result()
            .annotate(
                pending_entries=Coalesce(Subquery(pending), Value(0), output_field=IntegerField())
            )
        )

    def get_list_display(self, request):
        if settings.RESULTS_DOUBLE_ENTRY:
            return [*self.list_display, "entries"]
        return self.list_display

    def get_urls(self):
        publish = self.admin_site.admin_view(self.entry_publish_view)
        return [
            path(
                "<path:object_id>/entries/<int:entry_id>/publish/",
                publish,
                name="results_declaration_entry_publish",
            ),
            *super().get_urls(),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The page's checks read the candidates' votes (DeclarationForm.clean).
        return type(form.__name__, (form,), {"request": request})

    def get_formset_kwargs(self, request, obj, inline, prefix):
        # The formset makes itself known to the page's form (DeclarationForm.clean).
        return {**super().get_formset_kwargs(request, obj, inline, prefix), "request": request}

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Entries")
    def entries(self, declaration):
        if declaration.pending_entries >= 2:
            return DISAGREE.capitalize()
        return AWAITING.capitalize() if declaration.pending_entries else ""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        form = context["adminform"].form
        step = getattr(form, "step", None)
        if step == CHECK:
            return self.confirmation_response(request, form, obj)
        if step == EDIT:
            # Not an error: the figures typed, back to be changed.
            context["errors"] = []
            context["editing"] = True
        context.update(self.entries_context(request, obj))
        return super().render_change_form(request, context, add, change, form_url, obj)

    def confirmation_response(self, request, form, declaration):
        """The confirmation page: the result as readers will see it, and one form that
        carries every figure typed, to publish or to go back and change."""
        carried = [
            (name, value)
            for name, values in request.POST.lists()
            if name not in NOT_CARRIED
            for value in values
        ]
        may_publish_alone = settings.RESULTS_DOUBLE_ENTRY and request.user.has_perm(
            "results.publish_single_entry"
        )
        declared_at = form.cleaned_data.get("declared_at")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": declaration,
            "title": "Check this result before it goes to readers",
            "count": form.count,
            "declared_at": timezone.localtime(declared_at) if declared_at else None,
            "reason": form.cleaned_data.get("reason", ""),
            "carried": carried,
            "state": form.state,
            "double_entry": settings.RESULTS_DOUBLE_ENTRY,
            "may_publish_alone": may_publish_alone,
            "previous": getattr(declaration, "result", None),
        }
        return TemplateResponse(request, "admin/results/declaration/confirm.html", context)

    def entries_context(self, request, declaration):
        """Under double entry, what the page says of the seat's entries awaiting. The
        entries are independent: a member sees no one's figures but their own, each
        marked Same or Differs once another entry disagrees; supervisors see every
        entry side by side, figure by figure."""
        if declaration is None or not settings.RESULTS_DOUBLE_ENTRY:
            return {}
        pending = list(declaration.entries.pending())
        supervisor = request.user.has_perm("results.publish_single_entry")
        mine = next((e for e in pending if e.entered_by_id == request.user.pk), None)
        others = [e for e in pending if e.entered_by_id != request.user.pk]
        context = {
            "double_entry": True,
            "my_entry": mine,
            "other_entries": others,
            "may_publish_alone": supervisor,
        }
        if supervisor:
            context["pending_entries"] = pending
        if len(pending) >= 2 and supervisor:
            context["comparison"] = entries_compared(*(entry.figures for entry in pending))
        elif len(pending) >= 2 and mine:
            # A member sees only their own figures, each marked Same or Differs: the
            # other's numbers, seen, could be copied rather than checked on the sheet.
            place = pending.index(mine)
            context["own_comparison"] = [
                (line.label, line.values[place], line.differs)
                for line in entries_compared(*(entry.figures for entry in pending))
            ]
        return context

    def entry_publish_view(self, request, object_id, entry_id):
        """A supervisor publishes one desk member's entry without a second: first its
        figures in full on the confirmation page (GET), then Publish (POST)."""
        declaration = self.get_object(request, object_id)
        if declaration is None or not self.has_change_permission(request, declaration):
            raise PermissionDenied
        if not request.user.has_perm("results.publish_single_entry"):
            raise PermissionDenied
        entry = get_object_or_404(
            DeclarationEntry.objects.pending(), pk=entry_id, constituency=declaration
        )
        if request.method == "GET":
            return self.entry_confirmation_response(request, declaration, entry)
        if request.method != "POST":
            return HttpResponseNotAllowed(["GET", "POST"])
        if "_confirm" not in request.POST:
            # Only the confirmation page's Publish publishes: never a click unseen.
            return self.entry_confirmation_response(request, declaration, entry)
        try:
            _, revision = entry_publish_alone(
                entry=entry, user=request.user, state=request.POST.get("_state", "")
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            message = f"Published {entry.entered_by_name}'s entry alone"
            if revision is not None:
                message += f": {snapshot_in_words(revision.after)}"
            self.log_change(request, declaration, message)
            messages.success(request, message + ".")
        return HttpResponseRedirect(
            reverse("admin:results_declaration_change", args=[declaration.pk])
        )

    def entry_confirmation_response(self, request, declaration, entry):
        """The confirmation page for one entry published alone, worked out from the
        entry's figures by the rules the desk's own check uses (count_compute)."""
        figures = entry.figures
        count = entry_count(figures, notional_winner=declaration.notional_winner)
        declared_at = figures["declared_at"]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": declaration,
            "title": f"Check {entry.entered_by_name}'s entry before it goes to readers",
            "count": count,
            "declared_at": timezone.localtime(datetime.fromisoformat(declared_at))
            if declared_at
            else None,
            "reason": figures["reason"],
            "carried": [],
            "state": declaration_state(constituency=declaration),
            "double_entry": True,
            "entry": entry,
            "action": reverse(
                "admin:results_declaration_entry_publish", args=[declaration.pk, entry.pk]
            ),
            "previous": getattr(declaration, "result", None),
        }
        return TemplateResponse(request, "admin/results/declaration/confirm.html", context)

    def changelist_view(self, request, extra_context=None):
        counts = Constituency.objects.aggregate(
            total=Count("pk"), declared=Count("pk", filter=Q(result__isnull=False))
        )
        extra_context = {
            **(extra_context or {}),
            "declared": counts["declared"],
            "total": counts["total"],
            "to_go": counts["total"] - counts["declared"],
            "may_change_scoreboard": request.user.has_perm("results.change_publishedscoreboard"),
        }
        return super().changelist_view(request, extra_context)

    @admin.display(description="Result")
    def verdict(self, declaration):
        result = getattr(declaration, "result", None)
        return result.verdict if result else "Awaiting declaration"

    @admin.display(description="Declared", ordering="result__declared_at")
    def declared(self, declaration):
        return result_time(declaration, "declared_at", "%H:%M, %-d %b")

    @admin.display(description="Corrected", ordering="result__corrected_at")
    def corrected(self, declaration):
        return result_time(declaration, "corrected_at", "%H:%M")

    @admin.display(description="Now")
    def current_result(self, declaration):
        result = getattr(declaration, "result", None)
        if result is None:
            return "Awaiting declaration"
        return f"{result.verdict}: {result.winner.name}, majority {result.majority:,}"

    @admin.display(description="Worked out from the votes")
    def computed(self, declaration):
        parties = {
            str(party.pk): [party.short_name.upper(), party.name]
            for party in Party.objects.only("pk", "short_name", "name")
        }
        notional = declaration.notional_winner
        candidacies = list(declaration.candidacies.select_related("party"))
        return format_html(
            '<output class="declaration-computed" id="declaration-computed" for="id_electorate"'
            ' data-parties="{}" data-notional="{}">{}</output>',
            json.dumps(parties),
            notional.pk if notional else "",
            computed_text(candidacies, notional),
        )

    @admin.display(description="Changes to this result")
    def history(self, declaration):
        result = getattr(declaration, "result", None)
        if result is None:
            return "None yet."
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(revision.changed_at):%Y-%m-%d %H:%M}",
                    revision.who,
                    snapshot_in_words(revision.before),
                    "→",
                    snapshot_in_words(revision.after),
                    revision.note,
                )
                for revision in result.revisions.all()
            ),
        )
        return format_html(
            "<table><thead><tr><th>When</th><th>Who</th><th>Before</th><th></th>"
            "<th>After</th><th>Why</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        # The page's own fields are the result's, written by the service with the
        # votes (save_related); the constituency itself is not changed here.
        pass

    def save_related(self, request, form, formsets, change):
        # Only a confirmed, checked declaration gets here (DeclarationForm.clean); the
        # admin saves the page in one transaction, so votes and result go together.
        entered = declaration_enter(
            constituency=form.instance,
            figures=form.figures,
            user=request.user,
            alone="_alone" in request.POST,
            state=request.POST.get("_state", ""),
        )
        request.declaration_entered = entered
        revision = entered.revision
        if revision and revision.before:
            before, after = snapshot_in_words(revision.before), snapshot_in_words(revision.after)
            messages.info(request, f"Corrected: {before} → {after}")

    def response_change(self, request, obj):
        entered = getattr(request, "declaration_entered", None)
        if entered is None or entered.state == PUBLISHED:
            return super().response_change(request, obj)
        if entered.state == AWAITING:
            messages.info(
                request,
                f"Your entry of {obj.name} is kept, not published: it is published when a "
                "second desk member's own entry agrees.",
            )
            return HttpResponseRedirect(reverse("admin:results_declaration_changelist"))
        others = ", ".join(e.entered_by_name for e in entered.entries[:-1])
        shown = (
            "The entries are side by side below."
            if request.user.has_perm("results.publish_single_entry")
            else "The figures that differ are marked below: check them on the sheet."
        )
        messages.warning(
            request,
            f"Your entry of {obj.name} disagrees with {others}'s: nothing is published. " + shown,
        )
        return HttpResponseRedirect(reverse("admin:results_declaration_change", args=[obj.pk]))

    def construct_change_message(self, request, form, formsets, add=False):
        # The admin history of a declaration says what the result was and became.
        entered = getattr(request, "declaration_entered", None)
        if entered is not None and entered.state != PUBLISHED:
            return f"Entered the figures: {entered.state}."
        revision = entered.revision if entered else None
        if revision is None:
            return "Saved; the result did not change."
        before = snapshot_in_words(revision.before) or "Not declared"
        return f"{before} → {snapshot_in_words(revision.after)}"


def result_time(declaration, name, form):
    """When the seat's result was declared or corrected (`name`), in UK time as `form`
    writes it; a dash if it has not been."""
    moment = getattr(getattr(declaration, "result", None), name, None)
    return timezone.localtime(moment).strftime(form) if moment else "–"


def computed_text(candidacies, notional):
    """The winner, majority and verdict the stored votes give, in a line, by the rules
    of the confirmation page and the result (count_compute)."""
    if not any(c.votes for c in candidacies):
        return "Type each candidate's votes: the winner, majority, shares and verdict follow."
    count = count_compute(
        candidates=[(c.name, c.party, c.votes) for c in candidacies], notional_winner=notional
    )
    name, party, _, _ = count.winner
    said = count.verdict or "choose the verdict below (no 2019 notional result)"
    return (
        f"Winner {name} ({party.name}) · majority {intcomma(count.majority)} · "
        f"{said} · {intcomma(count.total)} votes"
    )


class ExitPollLineFormSet(forms.BaseInlineFormSet):
    """The poll's lines as the desk types them; checked as the service checks them
    (results.services.exit_poll_check), each problem beside its line."""

    def entered(self):
        """(form, ExitPollLineEntered) of each line typed and not deleted, in order."""
        lines = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not form.has_changed() and not form.instance.pk:
                continue
            party = data.get("party")
            label = (data.get("label") or "").strip() or (party.name if party else OTHERS)
            lines.append((form, ExitPollLineEntered(label, party, data.get("seats"))))
        return lines

    def validate_unique(self):
        # exit_poll_check says which line repeats a party or a label, in words; Django's
        # own check would count two labels left empty (each the party's name) as one.
        pass

    def clean(self):
        super().clean()
        election = self.instance.election if self.instance.election_id else None
        if election is None or any(form.errors for form in self.forms):
            return
        entered = self.entered()
        lines = [line for _, line in entered]
        for index, message in exit_poll_check(election=election, lines=lines):
            if index is None:
                raise ValidationError(message)
            entered[index][0].add_error(None, message)


class ExitPollLineInline(admin.TabularInline):
    model = ExitPollLine
    formset = ExitPollLineFormSet
    fields = ["party", "label", "seats"]
    # The 2024 poll had eight lines: the parties it named and Others.
    extra = 8

    def get_extra(self, request, obj=None, **kwargs):
        return 2 if obj else self.extra

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "label":
            field.required = False
            field.help_text = "As announced; the party's name if left empty, Others if no party."
        if db_field.name == "party":
            field.help_text = "Empty for the Others line."
        return field


class ExitPollForm(forms.ModelForm):
    def clean_published_at(self):
        published_at = self.cleaned_data["published_at"]
        too_early = exit_poll_time_check(published_at)
        if too_early:
            raise ValidationError(too_early)
        return published_at


@admin.register(ExitPoll)
class ExitPollAdmin(admin.ModelAdmin):
    """The broadcasters' exit poll, typed in by the results desk as it is announced at
    22:00; a change is a correction. Saved through results.services.exit_poll_record,
    which checks it and tells the pages, never line by line."""

    form = ExitPollForm
    list_display = ["election", "published_at", "source", "lines_in_short"]
    list_select_related = ["election"]
    fields = ["election", "published_at", "source"]
    inlines = [ExitPollLineInline]

    def get_changeform_initial_data(self, request):
        election = Election.objects.current()
        initial = {"source": POLL_2024_SOURCE}
        if election is not None:
            # Announced as polls close: 22:00 UK time on polling day.
            initial |= {
                "election": election,
                "published_at": night_start(election.polling_day, UK),
            }
        return initial | super().get_changeform_initial_data(request)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("lines")

    @admin.display(description="Seats")
    def lines_in_short(self, poll):
        return ", ".join(f"{line.label} {line.seats}" for line in poll.lines.all())

    def save_model(self, request, obj, form, change):
        # The poll and its lines are written together by the service (save_related).
        pass

    def save_related(self, request, form, formsets, change):
        poll, _ = exit_poll_record(
            election=form.cleaned_data["election"],
            published_at=form.cleaned_data["published_at"],
            source=form.cleaned_data["source"],
            lines=[line for _, line in formsets[0].entered()],
        )
        # The admin's messages, history and redirect name the poll the service saved.
        form.instance.pk = poll.pk
        form.instance._state.adding = False
        request.exit_poll_lines = formsets[0].entered()

    def construct_change_message(self, request, form, formsets, add=False):
        # The history says what the poll became (the service wrote the lines, not the
        # formset, which has no record of them).
        lines = getattr(request, "exit_poll_lines", [])
        return "Exit poll: " + ", ".join(f"{line.label} {line.seats}" for _, line in lines)
