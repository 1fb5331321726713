from django.contrib import admin

from liveblog.models import Block, LivePage, Post, PostSource


@admin.register(LivePage)
class LivePageAdmin(admin.ModelAdmin):
    list_display = ["title", "county"]


class BlockInline(admin.StackedInline):
    model = Block
    extra = 0


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "live_page", "published_at", "breaking", "source"]
    list_filter = ["live_page", "breaking", "source"]
    search_fields = ["title"]
    date_hierarchy = "published_at"
    list_select_related = ["live_page"]
    inlines = [BlockInline]

    def save_model(self, request, obj, form, change):
        # Once the newsroom has touched a post, imports leave it alone.
        obj.source = PostSource.NEWSROOM
        super().save_model(request, obj, form, change)


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ["post", "position", "kind"]
    list_select_related = ["post"]
