from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from liveblog.models import Post
from results.models import County

POSTS_PER_PAGE = 20


def county_detail(request, slug):
    county = get_object_or_404(
        County.objects.with_constituencies().select_related("live_page"), slug=slug
    )
    live_page = getattr(county, "live_page", None)
    posts = Post.objects.none()
    if live_page is not None:
        posts = live_page.posts.for_live_page()
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "liveblog/county_detail.html",
        {"county": county, "live_page": live_page, "page": page},
    )


def post_detail(request, slug, pk):
    post = get_object_or_404(
        Post.objects.for_live_page().select_related("live_page__county"),
        pk=pk,
        live_page__county__slug=slug,
    )
    return render(
        request, "liveblog/post_detail.html", {"post": post, "county": post.live_page.county}
    )
