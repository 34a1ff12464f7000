from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone

from prep.accounts.forms import ProfileForm
from prep.accounts.selectors import profile_for
from prep.accounts.services import profile_update


@login_required
def settings_view(request):
    profile = profile_for(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    context = {"form": form, "profile": profile, "paused": profile.is_paused(timezone.now())}
    if request.method == "POST":
        if form.is_valid():
            profile_update(user=request.user, **form.cleaned_data)
            messages.success(request, "Settings saved.")
            return redirect("accounts:settings")
        return render(request, "accounts/settings.html", context, status=422)
    return render(request, "accounts/settings.html", context)
