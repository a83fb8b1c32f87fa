from django.contrib import admin

from slecop.admin_utils import ReadOnlyAdmin

from .models import NotificationPreference, SentNotification, SentReminder, StaffDigest


@admin.register(SentReminder)
class SentReminderAdmin(ReadOnlyAdmin):
    list_display = ["invoice", "step", "step_date", "sent", "created_at"]
    list_filter = ["step", "sent", "step_date"]
    search_fields = ["invoice__number", "invoice__ecosystem__name"]
    list_select_related = ["invoice"]
    date_hierarchy = "step_date"


@admin.register(SentNotification)
class SentNotificationAdmin(ReadOnlyAdmin):
    list_display = ["key", "ecosystem", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["key", "ecosystem__name"]
    list_select_related = ["ecosystem"]


@admin.register(StaffDigest)
class StaffDigestAdmin(ReadOnlyAdmin):
    list_display = ["week_start", "sent_at"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "dues_reminders", "event_reminders", "election_reminders", "news"]
    list_filter = ["dues_reminders", "event_reminders", "election_reminders", "news"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
