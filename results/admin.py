from django.contrib import admin

from results.models import (
    Candidacy,
    Constituency,
    County,
    Election,
    Party,
    PublishedScoreboard,
    PublishedTally,
    Result,
)


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["name", "polling_day", "total_seats"]


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "colour", "is_independent"]
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


@admin.register(Candidacy)
class CandidacyAdmin(admin.ModelAdmin):
    list_display = ["name", "constituency", "party", "votes", "share"]
    search_fields = ["name", "constituency__name"]
    list_select_related = ["constituency", "party"]
    autocomplete_fields = ["constituency", "party"]


@admin.register(Result)
class ResultAdmin(admin.ModelAdmin):
    list_display = ["constituency", "outcome", "majority", "source", "declared_at"]
    list_filter = ["outcome", "source"]
    search_fields = ["constituency__name"]
    list_select_related = ["constituency"]
    raw_id_fields = ["winner"]


class PublishedTallyInline(admin.TabularInline):
    model = PublishedTally
    extra = 0


@admin.register(PublishedScoreboard)
class PublishedScoreboardAdmin(admin.ModelAdmin):
    list_display = ["election", "seats_for_majority", "seats_to_go"]
    inlines = [PublishedTallyInline]
