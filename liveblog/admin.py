"""The newsroom's admin: live pages and posts for editors."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from liveblog.models import Block, LivePage, Post, PostStatus
from liveblog.services import (
    post_constituencies_choose,
    post_edited_mark,
    post_mentions_refresh,
    post_save_by,
    posts_set,
)
from liveblog.uploads import ImageUploadField
from results.models import Constituency


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


class BlockInline(admin.StackedInline):
    model = Block
    extra = 1
    fields = ["position", "kind", "text", "image", "alt", "caption", "credit"]
    ordering = ["position"]

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


class PostForm(forms.ModelForm):
    about = forms.ModelMultipleChoiceField(
        Constituency.objects.all(),
        required=False,
        label="Constituencies it is about",
        help_text="Seats named in the text are found and linked anyway.",
        widget=AutocompleteSelectMultiple(Post._meta.get_field("constituencies"), admin.site),
    )

    class Meta:
        model = Post
        fields = [
            "live_page",
            "title",
            "status",
            "published_at",
            "breaking",
            "pinned",
            "byline_name",
            "byline_role",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["about"].initial = [c.pk for c in self.instance.chosen_constituencies]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostForm
    inlines = [BlockInline]
    list_display = ["title", "live_page", "published_at", "status", "breaking", "pinned", "shown"]
    list_filter = ["live_page__county", "status", "breaking", "pinned", "source"]
    search_fields = ["title", "byline_name", "blocks__text"]
    date_hierarchy = "published_at"
    list_select_related = ["live_page"]
    actions = ["publish", "unpublish", "mark_breaking"]
    readonly_fields = ["preview", "source", "created_by", "edited_at"]
    fieldsets = [
        (None, {"fields": ["live_page", "title", "about"]}),
        ("Publishing", {"fields": ["status", "published_at", "breaking", "pinned", "preview"]}),
        ("Byline", {"fields": ["byline_name", "byline_role"]}),
        ("Record", {"fields": ["source", "created_by", "edited_at"], "classes": ["collapse"]}),
    ]

    @admin.display(description="Readers see it", boolean=True)
    def shown(self, post):
        return post.is_visible

    @admin.display(description="Preview")
    def preview(self, post):
        if not post.pk:
            return "Save the post (as a draft) to preview it."
        url = reverse("admin:liveblog_post_preview", args=[post.pk])
        return format_html('<a href="{}">Preview as readers will see it</a>', url)

    def get_changeform_initial_data(self, request):
        """A new post starts now, with the byline this editor used last."""
        initial = super().get_changeform_initial_data(request)
        last = Post.objects.filter(created_by=request.user).order_by("-id").first()
        if last is not None:
            initial.setdefault("byline_name", last.byline_name)
            initial.setdefault("byline_role", last.byline_role)
            initial.setdefault("live_page", last.live_page_id)
        initial.setdefault("published_at", timezone.now())
        return initial

    def save_model(self, request, obj, form, change):
        # Remember whether readers could see the post before this save.
        request.post_was_visible = change and Post.objects.get(pk=obj.pk).is_visible
        post_save_by(post=obj, user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        post = form.instance
        post_constituencies_choose(post=post, constituencies=form.cleaned_data["about"])
        post_mentions_refresh(posts=Post.objects.filter(pk=post.pk).with_body())
        edited = form.has_changed() or any(formset.has_changed() for formset in formsets)
        post_edited_mark(post=post, was_visible=request.post_was_visible, edited=edited)

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:pk>/preview/", preview, name="liveblog_post_preview"),
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

    @admin.action(description="Publish the selected posts", permissions=["change"])
    def publish(self, request, queryset):
        count = posts_set(posts=queryset, user=request.user, status=PostStatus.PUBLISHED)
        messages.success(request, f"Published {count} post(s).")

    @admin.action(description="Unpublish the selected posts", permissions=["change"])
    def unpublish(self, request, queryset):
        count = posts_set(posts=queryset, user=request.user, status=PostStatus.DRAFT)
        messages.success(request, f"Unpublished {count} post(s): readers no longer see them.")

    @admin.action(description="Mark the selected posts as breaking", permissions=["change"])
    def mark_breaking(self, request, queryset):
        count = posts_set(posts=queryset, user=request.user, breaking=True)
        messages.success(request, f"Marked {count} post(s) as breaking.")
