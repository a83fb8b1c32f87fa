from django.urls import path

from . import views

app_name = "governance"

urlpatterns = [
    path("leadership/", views.leadership, name="leadership"),
    path("leadership/<slug:slug>/", views.office_detail, name="office_detail"),
    path("committees/", views.committee_list, name="committee_list"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee_detail"),
    path("practice-groups/", views.practice_group_list, name="practice_group_list"),
    # "propose" is a reserved practice group slug (services.practice_groups.RESERVED_SLUGS)
    path("practice-groups/propose/", views.practice_group_propose, name="practice_group_propose"),
    path("practice-groups/<slug:slug>/", views.practice_group_detail, name="practice_group_detail"),
    path(
        "practice-groups/<slug:slug>/join/", views.practice_group_join, name="practice_group_join"
    ),
    path(
        "practice-groups/<slug:slug>/leave/",
        views.practice_group_leave,
        name="practice_group_leave",
    ),
    path(
        "practice-groups/<slug:slug>/members/<int:pk>/co-chair/",
        views.practice_group_make_chair,
        name="practice_group_make_chair",
    ),
]
