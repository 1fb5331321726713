from django.urls import path

from results import views

app_name = "results"

urlpatterns = [
    path("", views.home, name="home"),
    path("constituencies/<slug:slug>/", views.constituency_detail, name="constituency-detail"),
]
