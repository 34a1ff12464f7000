from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from prep.health import health


@require_GET
def home(request):
    if request.user.is_authenticated:
        return redirect("practice:session")
    return render(request, "home.html")


@never_cache
@require_GET
def healthz(request):
    checks = health()
    down = [name for name, state in checks.items() if not state.startswith("ok")]
    body = {"status": "ok" if not down else "down", "down": down, "checks": checks}
    return JsonResponse(body, status=503 if down else 200)
