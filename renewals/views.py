from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from slecop.web import post_data

from .forms import NotificationPreferenceForm
from .models import NotificationPreference
from .services import notification_preference_update


@login_required
def preferences(request):
    current = NotificationPreference.objects.filter(user=request.user).first()
    form = NotificationPreferenceForm(post_data(request), instance=current)
    if request.method == "POST" and form.is_valid():
        notification_preference_update(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your email preferences were saved."))
        return redirect("renewals:preferences")
    return render(request, "renewals/preferences.html", {"form": form})
