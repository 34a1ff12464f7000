import zoneinfo

from django import forms

from prep.accounts.models import Profile

TIMEZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        choices=TIMEZONE_CHOICES,
        help_text="Your day, limits and reminders follow this time zone.",
    )

    class Meta:
        model = Profile
        fields = [
            "track",
            "timezone",
            "desired_retention",
            "new_per_day",
            "reviews_per_day",
            "day_rollover_hour",
        ]
        labels = {
            "track": "Track",
            "desired_retention": "Desired retention",
            "new_per_day": "New questions per day",
            "reviews_per_day": "Reviews per day",
            "day_rollover_hour": "Next day starts at (hour)",
        }
        widgets = {
            "track": forms.RadioSelect,
            "desired_retention": forms.NumberInput(attrs={"step": "0.01", "min": "0.7", "max": "0.97"}),
        }
        help_texts = {"track": "Which interview you are preparing for."}
