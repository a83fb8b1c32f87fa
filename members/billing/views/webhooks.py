"""The Stripe webhook endpoint: a thin edge over members.billing.payments.webhooks."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ..payments.webhooks import handle_webhook


@csrf_exempt  # Stripe cannot send a CSRF token; the signature authenticates the request
@require_POST
def stripe_webhook(request):
    result = handle_webhook(request.body, request.headers.get("Stripe-Signature"))
    return HttpResponse(result.message, status=result.status, content_type="text/plain")
