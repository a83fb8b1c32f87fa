from django.urls import path

from . import views

app_name = "community"

urlpatterns = [
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/<slug:slug>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<slug:slug>/comments/", views.comment_list, name="comment_list"),
    path("consultations/<slug:slug>/comment/", views.comment_create, name="comment_create"),
    path(
        "consultations/<slug:slug>/comments/<int:pk>/respond/",
        views.comment_respond,
        name="comment_respond",
    ),
    path("consultations/<slug:slug>/faq/", views.faq_ask, name="faq_ask"),
    path("consultations/<slug:slug>/faq/<int:pk>/answer/", views.faq_answer, name="faq_answer"),
    path(
        "consultations/<slug:slug>/final/",
        views.consultation_finalize,
        name="consultation_finalize",
    ),
    path("faq/", views.faq, name="faq"),
    path("announcements/", views.announcement_list, name="announcement_list"),
    path("announcements/new/", views.announcement_create, name="announcement_create"),
    path("announcements/feed/", views.AnnouncementFeed(), name="announcement_feed"),
    path("announcements/<int:pk>/", views.announcement_detail, name="announcement_detail"),
    path("partners/", views.partner_list, name="partners"),
    path("town-halls/", views.townhall_list, name="townhall_list"),
    path("town-halls/<slug:slug>/", views.townhall_detail, name="townhall_detail"),
    path("town-halls/<slug:slug>/register/", views.townhall_register, name="townhall_register"),
    path("town-halls/<slug:slug>/cancel/", views.townhall_unregister, name="townhall_unregister"),
    path("surveys/", views.survey_list, name="survey_list"),
    path("surveys/<slug:slug>/", views.survey_detail, name="survey_detail"),
    path("surveys/<slug:slug>/results/", views.survey_results, name="survey_results"),
    path("surveys/<slug:slug>/results.csv", views.survey_results_csv, name="survey_results_csv"),
]
