"""The newsroom's admin: live pages and posts for editors.

Writing a post is drafting it: a new post is a draft, previewed as readers will see it,
until an editor presses Publish (or Schedule, for a time later on). Its time is the
moment readers could first see it (liveblog.services.post_publish). Each block shows
only the fields of its kind and moves up or down without typed numbers
(static/js/post-editor.js); formatting is a button, not a typed tag. A form saved over
a version someone else saved after it was opened is refused, saying who changed what,
field by field, and comes back merged with their changes (liveblog.editing): saved
again, it keeps theirs wherever this editor changed nothing. A photo is kept when the
form is refused (liveblog.uploads.kept). Every save keeps a revision with the post
before and after, listed under Post revisions, deleted posts' included.

A kept photo is stored (with its renditions) while the form is checked, before any save
(BlockForm.keep_photo): if the editor abandons the form, the photo stays in media/posts/
and no block names it. Nothing removes it yet: files no block names include photos that
a post's earlier revisions name, so a cleanup would have to read the revisions too.
"""

from typing import NamedTuple

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, F, Max, Q
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.text import get_text_list

from liveblog import editing, markup, uploads
from liveblog.models import (
    EDITABLE_KINDS,
    Block,
    BlockKind,
    LivePage,
    LivePageRevision,
    Post,
    PostRevision,
    PostStatus,
    ResultPost,
    block_markup,
    live_page_content,
    post_content,
)
from liveblog.services import (
    live_page_revision_record,
    post_constituencies_choose,
    post_corrected_mark,
    post_discard,
    post_edited_mark,
    post_mentions_refresh,
    post_publish,
    post_revision_finish,
    post_save_by,
    post_unpublish,
    posts_set,
    result_post_refresh,
)
from liveblog.uploads import ImageUploadField
from results.admin import History
from results.models import Constituency

admin.site.site_header = "Election night newsroom"
admin.site.site_title = "Election night newsroom"
admin.site.index_title = "The night's work"

# Far enough above any block's position to move every block out of the way at once.
POSITION_OFFSET = 10000


def local_time(moment, format="%H:%M %Z"):
    return timezone.localtime(moment).strftime(format) if moment else ""


class LivePageForm(forms.ModelForm):
    summary_lines = forms.CharField(
        label="Summary",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="The key points at the top of the page, one a line.",
    )

    class Meta:
        model = LivePage
        fields = ["title"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["summary_lines"].initial = "\n".join(self.instance.summary or [])

    def save(self, commit=True):
        lines = self.cleaned_data["summary_lines"].splitlines()
        self.instance.summary = [line.strip() for line in lines if line.strip()]
        self.instance.edited_in_newsroom = True
        return super().save(commit)


@admin.register(LivePage)
class LivePageAdmin(admin.ModelAdmin):
    form = LivePageForm
    list_display = ["title", "county"]
    list_select_related = ["county"]

    def has_add_permission(self, request):
        # A county's page comes with the county, from the imports.
        return request.user.is_superuser

    def save_model(self, request, obj, form, change):
        before = live_page_content(LivePage.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        live_page_revision_record(live_page=obj, before=before, user=request.user)


@admin.register(LivePageRevision)
class LivePageRevisionAdmin(History, admin.ModelAdmin):
    """Every change to a live page's title and summary, from the admin or an import."""

    about = "liveblog.view_livepage"
    list_display = ["page_shown", "who", "what", "when"]
    list_display_links = ["when"]
    search_fields = ["county_name", "changed_by_name"]
    fields = ["page_shown", "who", "changed_at", "what", "changed"]
    readonly_fields = fields

    @admin.display(description="Live page", ordering="county_name")
    def page_shown(self, revision):
        if revision.live_page_id is None:
            return f"{revision.county_name} (deleted)"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:liveblog_livepage_change", args=[revision.live_page_id]),
            revision.county_name,
        )


class BlockForm(forms.ModelForm):
    """One block: the kind chooses which fields it shows (static/js/post-editor.js)."""

    # A photo stored when the form was first sent, should the form be refused (uploads.kept).
    kept_image = forms.CharField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Block
        fields = ["position", "kind", "text", "image", "alt", "caption", "credit"]
        widgets = {"position": forms.HiddenInput(attrs={"data-position": ""})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        kind = self.fields["kind"]
        if self.instance.kind == BlockKind.RESULT:
            kind.disabled = True
        else:
            kind.choices = EDITABLE_KINDS
        kind.widget.attrs["data-kind"] = ""
        self.fields["text"].help_text = (
            "A paragraph, or a list with one item a line. Select words and use Bold, Italic "
            "or Link to format them."
        )
        self.fields["text"].widget.attrs["data-formatting"] = ""

    def clean(self):
        cleaned = super().clean()
        self.keep_photo(cleaned)
        text = cleaned.get("text") or ""
        kind = cleaned.get("kind")
        if kind not in (BlockKind.PARAGRAPH, BlockKind.LIST) or not text:
            return cleaned
        removed = markup.removed_markup(text)
        if removed:
            shown = block_markup(kind, text)
            # The form comes back with the text as readers would get it: saving it again
            # keeps that, knowingly.
            self.data = self.data.copy()
            self.data[self.add_prefix("text")] = shown
            self.add_error(
                "text",
                f"Posts cannot show {get_text_list(removed, 'and')}: saving would drop "
                f"{'it' if len(removed) == 1 else 'them'}. The text is now what readers "
                "would see: check it and save again.",
            )
            # The block is checked as a whole with its text (a paragraph is not empty),
            # so that this is its only error.
            cleaned["text"] = shown
        return cleaned

    def keep_photo(self, cleaned):
        """A photo that passed its checks is stored at once and named in a hidden field,
        so that a form refused for any block's error comes back with it, said so on the
        block; sent back, the form saves it without the file being chosen again."""
        image = cleaned.get("image")
        token = cleaned.get("kept_image")
        facts = None
        if isinstance(image, UploadedFile):
            try:
                token, facts = uploads.kept(image, Block._meta.get_field("image"))
            except ValidationError as error:
                self.add_error("image", error)
                return
            self.data = self.data.copy()
            self.data[self.add_prefix("kept_image")] = token
        elif token and image is not False:  # False: the editor cleared the image
            facts = uploads.kept_facts(token)
            if facts is None:
                self.add_error("image", "The photo you chose before was lost: choose it again.")
                return
        if facts is None:
            return
        cleaned["image"] = facts["name"]
        self.instance.renditions = facts["renditions"]
        # The admin shows help text unescaped: the file's name is the uploader's.
        said = format_html(
            "Your photo {} is kept ({} × {} pixels): you need not choose it again. Choose "
            "another file only to replace it.",
            facts["original"],
            facts["width"],
            facts["height"],
        )
        # The bound field, made while cleaning, keeps its own copy of the help text.
        self.fields["image"].help_text = self["image"].help_text = said


class BlockFormSet(forms.BaseInlineFormSet):
    """Blocks in the order the editor left them: the hidden positions the page's script
    keeps, a new block (no position) last; numbered again 0, 1, 2... on every save."""

    def validate_unique(self):
        # Positions are numbered afresh on save (below), so two alike are no error.
        return

    def ordered(self):
        kept = [
            (index, form)
            for index, form in enumerate(self.forms)
            if form.has_changed() or form.instance.pk
            if not (self.can_delete and self._should_delete_form(form))
            if form.is_valid() and form.cleaned_data
        ]
        last = len(self.forms) + POSITION_OFFSET

        def key(item):
            index, form = item
            position = form.cleaned_data.get("position")
            return (last if position is None else position, index)

        return [form for _, form in sorted(kept, key=key)]

    def save(self, commit=True):
        ordered = self.ordered()
        # Every stored block steps out of the way, so that no two share a position while
        # each takes its new one.
        Block.objects.filter(post=self.instance).update(position=F("position") + POSITION_OFFSET)
        for number, form in enumerate(ordered):
            form.instance.position = number
        saved = super().save(commit)
        for number, form in enumerate(ordered):
            if form.instance.pk:
                Block.objects.filter(pk=form.instance.pk, position__gte=POSITION_OFFSET).update(
                    position=number
                )
        return saved


class BlockInline(admin.StackedInline):
    model = Block
    form = BlockForm
    formset = BlockFormSet
    extra = 0
    fields = [
        "position",
        "kind",
        "text",
        "image",
        "kept_image",
        "alt",
        "caption",
        "credit",
        "card_summary",
    ]
    readonly_fields = ["card_summary"]
    ordering = ["position"]
    verbose_name = "block"
    verbose_name_plural = "the post, block by block"

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "image":
            kwargs["form_class"] = ImageUploadField  # the kinds and sizes accepted
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "text":
            field.widget.attrs["rows"] = 4
        elif db_field.name == "image":
            # The admin puts a file input under a legend, not a label: name it.
            field.widget.attrs["aria-label"] = "Image file"
        return field

    @admin.display(description="Result card")
    def card_summary(self, block):
        card = block.card if block and block.kind == BlockKind.RESULT else None
        if not card:
            return "–"
        return format_html(
            "{}: {}, {} ({}), majority {}. The figures of the declaration: the results desk "
            "keeps them.",
            card["seat"],
            card["verdict"],
            card["winner"],
            card["party"],
            f"{card['majority']:,}",
        )


# The largest version a post keeps (a PositiveIntegerField on every database), and the
# largest id a row has (a BigAutoField).
LARGEST_VERSION = 2**31 - 1
LARGEST_ID = 2**63 - 1


def number(text, largest):
    """A whole number from 0 to `largest` as a form sent it, else None: read as int()
    and the form's own fields read it (str.isdigit() passes "²", which int() refuses),
    and never more than the database keeps."""
    try:
        value = int(str(text).strip())
    except ValueError:
        return None
    return value if 0 <= value <= largest else None


class PostForm(forms.ModelForm):
    about = forms.ModelMultipleChoiceField(
        Constituency.objects.all(),
        required=False,
        label="Constituencies it is about",
        help_text="Seats the text names are added for you when you save; take off any it "
        "does not mean, and add any it is about but does not name.",
        widget=AutocompleteSelectMultiple(Post._meta.get_field("constituencies"), admin.site),
    )
    publish_at = forms.SplitDateTimeField(
        required=False,
        label="Publish at",
        widget=admin.widgets.AdminSplitDateTime,
        help_text="Leave empty to publish the moment you press Publish; a later time "
        "schedules the post.",
    )
    opened_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=LARGEST_VERSION
    )
    # The version whose changes this editor has been shown, after a refused save.
    seen_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=LARGEST_VERSION
    )

    class Meta:
        model = Post
        fields = ["live_page", "title", "breaking", "pinned", "byline_name", "byline_role"]

    # Set by PostAdmin: which button was pressed, and the version the form's data was
    # merged with (PostAdmin.merge_stale_form), if it was, and the merged data and files.
    action = None
    merged_at = None
    merge_conflicts = ()
    merged = None

    def __init__(self, data=None, files=None, *args, **kwargs):
        if data is not None and self.merged is not None:
            data, files = self.merged  # what the browser sent, merged with the post
        super().__init__(data, files, *args, **kwargs)
        post = self.instance
        self.fields["opened_version"].initial = post.version
        if post.pk:
            self.fields["about"].initial = [c.pk for c in post.linked_constituencies]
        if post.pk and post.is_scheduled:
            self.fields["publish_at"].initial = post.published_at
        if post.pk and post.is_visible:
            publish_at = self.fields["publish_at"]
            publish_at.disabled = True
            publish_at.initial = post.published_at
            publish_at.help_text = "When readers first saw it: it stays."

    def clean(self):
        cleaned = super().clean()
        # A hidden field's own error would be shown nowhere: said above the form instead.
        if self.has_error("opened_version") or self.has_error("seen_version"):
            raise ValidationError(
                "This form does not say which version of the post it was opened at, so "
                "saving it could undo someone else's changes. Nothing you typed is saved "
                "yet: reload the post and make your changes again."
            )
        if self.instance.pk:
            self.check_not_stale()
        at = cleaned.get("publish_at")
        rescheduled = self.instance.pk and self.instance.is_scheduled and self.action == "save"
        if rescheduled and (at is None or at <= timezone.now()):
            self.add_error(
                "publish_at",
                "To publish it now, press Publish now; to keep it for later, give a "
                "time still to come.",
            )
        return cleaned

    def check_not_stale(self):
        """Refuse a form opened before someone else's save, saying what they changed,
        field by field, and what both changed. Saved again, the form was merged with
        theirs (PostAdmin.changeform_view): theirs kept wherever this editor changed
        nothing."""
        opened = self.cleaned_data.get("opened_version")
        current = (
            Post.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if opened is None or current is None or opened == current:
            return
        if self.merged_at == current:
            return
        seen = self.cleaned_data.get("seen_version")
        base = PostRevision.objects.content_at(self.instance.pk, opened)
        if base is None and seen == current:
            return  # nothing to merge with: saving again replaces theirs, as invited
        said = [
            f"{revision.who} at {local_time(revision.changed_at)}: {'; '.join(what)}."
            for revision in PostRevision.objects.filter(
                post_id=self.instance.pk, version__gt=opened, version__lte=current
            ).order_by("version", "id")
            if (what := revision_said(revision))
        ]
        conflicts = list(self.merge_conflicts)
        self.data = self.data.copy()
        self.data[self.add_prefix("seen_version")] = current
        raise ValidationError(
            [
                "This post changed after you opened it. Nothing you typed is saved yet.",
                *(said or ["Someone saved it."]),
                *conflicts,
                "Save again to add your changes to theirs: theirs are kept wherever you "
                "changed nothing, as the form below now shows. Or reload the post to start "
                "again from their version."
                if base is not None
                else "Save again to replace their version with yours, or reload the post "
                "to start again from theirs.",
            ]
        )


def revision_said(revision):
    """What a revision changed, field by field where it keeps the content, else in its
    own words."""
    if revision.before is not None and revision.after:
        return [
            difference.said for difference in editing.differences(revision.before, revision.after)
        ]
    return list(revision.changes)


def submitted(data, files, post, prefix="blocks"):
    """A post form's data as `liveblog.editing.merge` takes it: the post's fields, its
    seats by name, and each block as a row."""
    about = [pk for value in data.getlist("about") if (pk := number(value, LARGEST_ID))]
    seats = sorted(Constituency.objects.filter(pk__in=about).values_list("name", flat=True))
    fields = {name: data.get(name, "") for name in ("title", "byline_name", "byline_role")}
    fields |= {
        name: data.get(name) in ("on", "true", "True", "1") for name in ("breaking", "pinned")
    }
    rows = []
    # At most what the formset itself would read (a hostile count is refused there).
    total = number(data.get(f"{prefix}-TOTAL_FORMS"), 1000) or 0
    for index in range(total):
        key = f"{prefix}-{index}-"
        row = {
            "index": index,
            "id": number(data.get(f"{key}id"), LARGEST_ID),
            "position": number(data.get(f"{key}position"), LARGEST_VERSION),
            "delete": bool(data.get(f"{key}DELETE")),
            "image_changed": bool(
                files.get(f"{key}image")
                or data.get(f"{key}image-clear")
                or data.get(f"{key}kept_image")
            ),
        }
        for name in editing.BLOCK_FIELDS:
            if f"{key}{name}" in data:
                row[name] = data.get(f"{key}{name}")
        rows.append(row)
    return {**fields, "seats": seats, "rows": rows}


def written(original, files, merged, post, prefix="blocks"):
    """The form's data and files again, with the merged fields and blocks."""
    data = original.copy()
    for name in ("title", "byline_name", "byline_role"):
        data[name] = merged.fields[name] or ""
    for name in ("breaking", "pinned"):
        if merged.fields[name]:
            data[name] = "on"
        else:
            data.pop(name, None)
    seats = Constituency.objects.filter(name__in=merged.fields["seats"])
    data.setlist("about", [str(pk) for pk in seats.values_list("pk", flat=True)])
    for name in [
        name
        for name in data
        if name.startswith(f"{prefix}-") and name[len(prefix) + 1 :][:1].isdigit()
    ]:
        data.pop(name)
    new_files = files.copy()
    for name in [name for name in new_files if name.startswith(f"{prefix}-")]:
        new_files.pop(name)
    for index, row in enumerate(merged.rows):
        key = f"{prefix}-{index}-"
        source = row.get("from")
        if source is not None:
            # Whatever else the form sent for this block (a kept photo, a cleared one).
            for name, values in data_of_row(original, prefix, source):
                data.setlist(f"{key}{name}", values)
            if files.get(f"{prefix}-{source}-image"):
                new_files[f"{key}image"] = files[f"{prefix}-{source}-image"]
        if row.get("id"):
            data[f"{key}id"] = str(row["id"])
            data[f"{key}post"] = str(post.pk)
        else:
            data.pop(f"{key}id", None)
        data[f"{key}position"] = str(row["position"])
        for name in editing.BLOCK_FIELDS:
            if row.get(name) is not None:
                data[f"{key}{name}"] = row[name]
        if row.get("delete"):
            data[f"{key}DELETE"] = "on"
        else:
            data.pop(f"{key}DELETE", None)
    data[f"{prefix}-TOTAL_FORMS"] = str(len(merged.rows))
    data[f"{prefix}-INITIAL_FORMS"] = str(sum(1 for row in merged.rows if row.get("id")))
    return data, new_files


def data_of_row(data, prefix, index):
    key = f"{prefix}-{index}-"
    return [(name[len(key) :], data.getlist(name)) for name in data if name.startswith(key)]


class StaleMerge(NamedTuple):
    """A stale form merged (PostAdmin.merge_stale_form): the version its editor was shown
    (None until they were), what both editors changed, and the form's merged data."""

    shown_version: int | None
    conflicts: list
    data: QueryDict
    files: MultiValueDict


class PostAdmin(admin.ModelAdmin):
    form = PostForm
    inlines = [BlockInline]
    # The title links to the post, its county under it: room for every column at 1280 px.
    list_display = ["post", "time", "state", "breaking", "pinned"]
    list_display_links = None
    list_filter = ["live_page__county", "status", "breaking", "pinned", "source"]
    search_fields = ["title", "byline_name", "blocks__text"]
    date_hierarchy = "published_at"
    list_select_related = ["live_page__county"]
    list_per_page = 50
    actions = ["publish", "unpublish", "mark_breaking"]
    readonly_fields = [
        "state_and_links",
        "needs_you",
        "source",
        "created_by_name",
        "edited_at",
        "history",
    ]
    fieldsets = [
        (None, {"fields": ["state_and_links", "live_page", "title", "about"]}),
        (
            "Publishing",
            {"fields": ["publish_at", "breaking", "pinned", "opened_version", "seen_version"]},
        ),
        ("Byline", {"fields": ["byline_name", "byline_role"]}),
        ("Record", {"fields": ["history", "source", "created_by_name", "edited_at"]}),
    ]
    change_form_template = "admin/liveblog/post/change_form.html"
    change_list_template = "admin/liveblog/post/change_list.html"

    class Media:
        js = ["admin/js/jquery.init.js", "js/post-editor.js"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and obj.attention:
            first = dict(fieldsets[0][1])
            first["fields"] = ["needs_you", *first["fields"]]
            fieldsets = [(None, first), *fieldsets[1:]]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        merge = getattr(request, "post_merge", None)
        return type(
            form.__name__,
            (form,),
            {
                "action": pressed(request),
                "merged_at": merge and merge.shown_version,
                "merge_conflicts": merge.conflicts if merge else (),
                "merged": merge and (merge.data, merge.files),
            },
        )

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        merge = getattr(request, "post_merge", None)
        if merge and "data" in kwargs:
            kwargs["data"], kwargs["files"] = merge.data, merge.files
        return kwargs

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST" and object_id:
            self.merge_stale_form(request, object_id)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def merge_stale_form(self, request, object_id):
        """A form opened before someone else's save: the post form and its blocks are
        given the three-way merge of what this editor changed since the version opened
        and the post as it is now (get_form, get_formset_kwargs), so that the form comes
        back showing what saving again will keep; request.POST stays what was sent. The
        form is refused (PostForm.check_not_stale) until it is sent again once its
        editor has been shown what changed (`seen_version`)."""
        post = Post.objects.filter(pk=object_id).first()
        opened, seen = (
            number(request.POST.get(name), LARGEST_VERSION)
            for name in ("opened_version", "seen_version")
        )
        if post is None or opened is None or opened == post.version:
            return  # not stale, or a version the form refuses (PostForm.clean)
        base = PostRevision.objects.content_at(post.pk, opened)
        if base is None:
            return
        mine = submitted(request.POST, request.FILES, post)
        merged = editing.merge(base, post_content(post), mine)
        data, files = written(request.POST, request.FILES, merged, post)
        shown = seen == post.version
        request.post_merge = StaleMerge(
            post.version if shown else None, merged.conflicts, data, files
        )

    def view_on_site(self, post):
        if post.is_visible:
            return post.get_absolute_url()
        return reverse("admin:liveblog_post_preview", args=[post.pk])

    @admin.display(description="Post", ordering="title")
    def post(self, post):
        return format_html(
            '<a href="{}">{}</a><span class="list-county">{}</span>',
            reverse("admin:liveblog_post_change", args=[post.pk]),
            post.title,
            post.live_page.county.name,
        )

    @admin.display(description="Time", ordering="published_at")
    def time(self, post):
        if post.published_at is None:
            return "–"
        return local_time(post.published_at, "%H:%M %-d %b")

    @admin.display(description="Status", ordering="status")
    def state(self, post):
        if post.attention:
            return "Check: result corrected"
        if post.is_visible:
            return "Published"
        if post.is_scheduled:
            return f"Scheduled {local_time(post.published_at, '%H:%M')}"
        return "Draft"

    @admin.display(description="Readers")
    def state_and_links(self, post):
        if not post.pk:
            return "A new post is a draft: nobody sees it until you press Publish."
        preview = reverse("admin:liveblog_post_preview", args=[post.pk])
        if post.is_visible:
            updated = f", updated {local_time(post.edited_at)}" if post.edited_at else ""
            return format_html(
                'Published at {}{}. <a href="{}">See it as readers do</a> · '
                '<a href="{}">Preview</a>',
                local_time(post.published_at),
                updated,
                post.get_absolute_url(),
                preview,
            )
        if post.is_scheduled:
            return format_html(
                'Scheduled: readers see it from {}. <a href="{}">Preview it as they will</a>',
                local_time(post.published_at, "%H:%M %Z, %A %-d %B"),
                preview,
            )
        return format_html(
            'A draft: readers cannot see it. <a href="{}">Preview it as they will</a>', preview
        )

    @admin.display(description="History")
    def history(self, post):
        if not post.pk:
            return "–"
        return format_html(
            '<a href="{}?post_number={}">Every version of this post: who changed what</a>',
            reverse("admin:liveblog_postrevision_changelist"),
            post.pk,
        )

    @admin.display(description="Needs you")
    def needs_you(self, post):
        if not post.attention:
            return "–"
        refresh = reverse("admin:liveblog_post_refresh", args=[post.pk])
        return format_html(
            '<strong class="attention">{}</strong> <a href="{}">Update it with the figures now</a>',
            post.attention,
            refresh,
        )

    def get_changeform_initial_data(self, request):
        """A new post starts on the live page and with the byline this editor used last."""
        initial = super().get_changeform_initial_data(request)
        last = Post.objects.filter(created_by=request.user).order_by("-id").first()
        if last is not None:
            initial.setdefault("byline_name", last.byline_name)
            initial.setdefault("byline_role", last.byline_role)
            initial.setdefault("live_page", last.live_page_id)
        return initial

    def save_model(self, request, obj, form, change):
        stored = Post.objects.get(pk=obj.pk) if change else None
        # Whether readers could see the post before this save, and what it held.
        request.post_was_visible = bool(stored and stored.is_visible)
        before = post_content(stored) if stored else None
        action = pressed(request)
        at = form.cleaned_data.get("publish_at")
        if stored is None:
            obj.status, obj.published_at = PostStatus.DRAFT, None  # a draft until published
        elif stored.is_scheduled and at is not None and action not in ("publish", "unpublish"):
            obj.published_at = at  # the form's new time for a scheduled post: an edit
        saving = {"post": obj, "user": request.user, "before": before}
        revision = None
        if action == "publish":
            # Its blocks and seats are saved after it (save_related), which finishes.
            revision = post_publish(at=at, checked=True, blocks_follow=True, **saving)
        elif action == "unpublish":
            revision = post_unpublish(**saving)
        request.post_revision = revision or post_save_by(**saving)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        # The seats the form showed as linked: one left out was taken off by the editor.
        offered = Constituency.objects.filter(pk__in=form.fields["about"].initial or [])
        post_constituencies_choose(
            post=post, constituencies=form.cleaned_data["about"], offered=offered if change else ()
        )
        post_mentions_refresh(posts=Post.objects.filter(pk=post.pk).with_body())
        # The revision keeps the post as this save left it, blocks and seats included.
        post_revision_finish(revision=request.post_revision, post=post)
        if not request.post_was_visible:
            post_corrected_mark(post=post)  # shown again, changed since readers saw it
        # An edit readers see as one: a pin, or publishing, is not an edit.
        edited = [name for name in form.changed_data if name not in NOT_EDITS]
        edited = edited or any(formset.has_changed() for formset in formsets)
        post_edited_mark(post=post, was_visible=request.post_was_visible, edited=bool(edited))

    def delete_model(self, request, obj):
        post_discard(post=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for post in queryset:
            post_discard(post=post, user=request.user)

    def response_add(self, request, obj, post_url_continue=None):
        return self.after_save(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        return self.after_save(request, obj) or super().response_change(request, obj)

    def after_save(self, request, post):
        action = pressed(request)
        if action == "preview":
            return HttpResponseRedirect(reverse("admin:liveblog_post_preview", args=[post.pk]))
        if action == "publish" and post.is_scheduled:
            messages.success(
                request,
                f"“{post}” is scheduled: readers see it from {local_time(post.published_at)}.",
            )
        elif action == "publish":
            messages.success(request, f"“{post}” is published: readers see it now.")
        elif action == "unpublish":
            messages.success(request, f"“{post}” is unpublished: readers no longer see it.")
        return None

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        refresh = self.admin_site.admin_view(self.refresh_view)
        return [
            path("<int:pk>/preview/", preview, name="liveblog_post_preview"),
            path("<int:pk>/refresh/", refresh, name="liveblog_post_refresh"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        post = get_object_or_404(
            Post.objects.with_body().select_related("live_page__county"), pk=pk
        )
        if not self.has_view_or_change_permission(request, post):
            raise PermissionDenied
        return render(
            request,
            "liveblog/post_preview.html",
            {"post": post, "county": post.live_page.county},
        )

    def refresh_view(self, request, pk):
        """A published post drafted from a result, given the corrected figures."""
        post = get_object_or_404(Post, pk=pk, drafted_from__isnull=False)
        if not self.has_change_permission(request, post):
            raise PermissionDenied
        if request.method == "POST":
            with transaction.atomic():
                result_post_refresh(post=post, user=request.user)
            self.log_change(request, post, "Updated with the corrected figures")
            messages.success(request, f"“{post}” now gives the corrected figures.")
            return HttpResponseRedirect(reverse("admin:liveblog_post_change", args=[post.pk]))
        return render(
            request,
            "admin/liveblog/post/refresh.html",
            {**self.admin_site.each_context(request), "post": post, "title": "Update the figures"},
        )

    def changelist_view(self, request, extra_context=None):
        visible = Q(posts__status=PostStatus.PUBLISHED, posts__published_at__lte=timezone.now())
        pages = LivePage.objects.select_related("county").annotate(
            latest=Max("posts__published_at", filter=visible),
            drafts=Count("posts", filter=Q(posts__status=PostStatus.DRAFT)),
        )
        extra_context = {**(extra_context or {}), "live_pages": pages.order_by("county__name")}
        return super().changelist_view(request, extra_context)

    @admin.action(description="Publish the selected posts", permissions=["change"])
    def publish(self, request, queryset):
        posts_act(
            self,
            request,
            queryset,
            "Published {count} post(s).",
            "Published",
            status=PostStatus.PUBLISHED,
        )

    @admin.action(description="Unpublish the selected posts", permissions=["change"])
    def unpublish(self, request, queryset):
        done = "Unpublished {count} post(s): readers no longer see them."
        posts_act(self, request, queryset, done, "Unpublished", status=PostStatus.DRAFT)

    @admin.action(description="Mark the selected posts as breaking", permissions=["change"])
    def mark_breaking(self, request, queryset):
        done = "Marked {count} post(s) as breaking."
        posts_act(self, request, queryset, done, "Marked as breaking", breaking=True)


def posts_act(model_admin, request, queryset, done, logged=None, **values):
    """A list action: `values` set on each selected post by liveblog.services.posts_set
    (the one rule of publishing, unpublishing and editing a post), each post's history
    told `logged` if given, and the editor `done` (with the {count} of posts changed)."""
    posts = list(queryset)
    count = posts_set(posts=posts, user=request.user, **values)
    for post in posts if logged else ():
        model_admin.log_change(request, post, logged)
    messages.success(request, done.format(count=count))


admin.site.register(Post, PostAdmin)


@admin.register(PostRevision)
class PostRevisionAdmin(admin.ModelAdmin):
    """Every save of every post, deleted posts' included: who, when, and what the post
    held before and after. Read only: history is not edited. Editors see it as they see
    posts."""

    list_display = ["post_shown", "version_shown", "who", "what", "when"]
    list_display_links = ["version_shown"]
    search_fields = ["post_title", "changed_by_name"]
    list_per_page = 50
    fields = ["post_shown", "version", "who", "changed_at", "what", "changed", "text_after"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("post__live_page__county")

    def lookup_allowed(self, lookup, value, request=None):
        # A post's own history, linked from its form (`?post_number=`).
        return lookup == "post_number" or super().lookup_allowed(lookup, value, request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("liveblog.view_post") or request.user.has_perm(
            "liveblog.change_post"
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Post", ordering="post_title")
    def post_shown(self, revision):
        if revision.post_id is None:
            return f"{revision.post_title} (deleted)"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:liveblog_post_change", args=[revision.post_id]),
            revision.post_title,
        )

    @admin.display(description="Version", ordering="version")
    def version_shown(self, revision):
        return f"version {revision.version}"

    @admin.display(description="What changed")
    def what(self, revision):
        return ", ".join(revision.changes)

    @admin.display(description="When", ordering="changed_at")
    def when(self, revision):
        return local_time(revision.changed_at, "%H:%M:%S %Z %-d %b")

    @admin.display(description="Field by field")
    def changed(self, revision):
        said = revision_said(revision)
        return format_html_join("", "<p>{}</p>", ((line,) for line in said)) or "–"

    @admin.display(description="The post after this save")
    def text_after(self, revision):
        after = revision.after or revision.before
        if not after:
            return "–"
        lines = [after.get("title", "")] + [
            f"{editing.block_name(block, number)}: {editing.shown_text(block)}"
            for number, block in enumerate(after.get("blocks", []), 1)
        ]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines))


# Changes to these are no edit readers are told of (`Updated`).
NOT_EDITS = {"pinned", "publish_at", "opened_version", "seen_version"}
BUTTONS = {"_publish": "publish", "_unpublish": "unpublish", "_preview": "preview"}


def pressed(request):
    """Which of the change form's buttons was pressed: publish, unpublish, preview or save."""
    return next((action for name, action in BUTTONS.items() if name in request.POST), "save")


@admin.register(ResultPost)
class ResultPostAdmin(admin.ModelAdmin):
    """Posts drafted from declarations, waiting for an editor: publish one in one step,
    edit it first, or discard it; and published ones whose result was corrected since."""

    list_display = ["title", "seat", "county", "declared", "waiting", "buttons"]
    list_select_related = ["live_page__county", "drafted_from__result"]
    actions = ["publish", "discard"]
    list_display_links = None

    def get_queryset(self, request):
        return ResultPost.objects.drafted_from_results()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return request.user.has_perm("liveblog.change_post")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("liveblog.view_post") or self.has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return request.user.has_perm("liveblog.delete_post")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description="Seat", ordering="drafted_from__name")
    def seat(self, post):
        return post.drafted_from.name

    @admin.display(description="County")
    def county(self, post):
        return post.live_page.county.name

    @admin.display(description="Declared")
    def declared(self, post):
        result = getattr(post.drafted_from, "result", None)
        return local_time(result.declared_at, "%H:%M") if result and result.declared_at else "–"

    @admin.display(description="Waiting")
    def waiting(self, post):
        return post.attention or "A draft: readers cannot see it"

    @admin.display(description="Do")
    def buttons(self, post):
        edit = reverse("admin:liveblog_post_change", args=[post.pk])
        preview = reverse("admin:liveblog_post_preview", args=[post.pk])
        if post.attention:
            refresh = reverse("admin:liveblog_post_refresh", args=[post.pk])
            return format_html(
                '<a href="{}">Update the figures</a> · <a href="{}">Edit</a>', refresh, edit
            )
        return format_html(
            '<button type="submit" class="button default" name="publish_one" value="{}" '
            'aria-label="Publish: {}">Publish</button> '
            '<a href="{}" aria-label="Edit: {}">Edit</a> · '
            '<a href="{}" aria-label="Preview: {}">Preview</a> · '
            '<button type="submit" class="button" name="discard_one" value="{}" '
            'aria-label="Discard: {}">Discard</button>',
            post.pk,
            post.title,
            edit,
            post.title,
            preview,
            post.title,
            post.pk,
            post.title,
        )

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST" and (
            "publish_one" in request.POST or "discard_one" in request.POST
        ):
            return self.one_post(request)
        return super().changelist_view(request, extra_context)

    def one_post(self, request):
        """A row's own button: publish or discard that post."""
        publish = "publish_one" in request.POST
        pk = request.POST.get("publish_one" if publish else "discard_one")
        post = get_object_or_404(self.get_queryset(request), pk=pk)
        if not (
            self.has_change_permission(request, post)
            if publish
            else self.has_delete_permission(request, post)
        ):
            raise PermissionDenied
        with transaction.atomic():
            if publish:
                post_publish(post=post, user=request.user)
                self.log_change(request, post, "Published")
                messages.success(request, f"Published “{post}”: readers see it now.")
            else:
                title = str(post)
                post_discard(post=post, user=request.user)
                messages.success(request, f"Discarded “{title}”.")
        return HttpResponseRedirect(request.get_full_path())

    @admin.action(description="Publish the selected posts", permissions=["change"])
    def publish(self, request, queryset):
        posts_act(
            self, request, queryset, "Published {count} post(s).", status=PostStatus.PUBLISHED
        )

    @admin.action(description="Discard the selected drafts", permissions=["delete"])
    def discard(self, request, queryset):
        count = 0
        with transaction.atomic():
            for post in queryset.filter(status=PostStatus.DRAFT):
                post_discard(post=post, user=request.user)
                count += 1
        messages.success(request, f"Discarded {count} draft(s).")

    def get_actions(self, request, action_location=admin.ActionLocation.CHANGE_LIST):
        actions = super().get_actions(request, action_location)
        actions.pop("delete_selected", None)
        return actions
