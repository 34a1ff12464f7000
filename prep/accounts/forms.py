import zoneinfo
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from prep.accounts.models import Profile

TIMEZONE_CHOICES = [(tz, tz.replace("_", " ")) for tz in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(
        label="Time zone",
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
            "interview_date",
            "email_reminders",
            "reminder_hour",
        ]
        labels = {
            "track": "Track",
            "desired_retention": "Desired retention",
            "new_per_day": "New questions per day",
            "reviews_per_day": "Reviews per day",
            "day_rollover_hour": "Next day starts at (hour)",
            "interview_date": "Interview date",
            "email_reminders": "Daily reminder email",
            "reminder_hour": "Reminder hour",
        }
        widgets = {
            "track": forms.RadioSelect,
            "desired_retention": forms.NumberInput(attrs={"step": "0.01", "min": "0.7", "max": "0.97"}),
            "interview_date": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {"track": "Which interview you are preparing for."}

    def clean_interview_date(self):
        interview = self.cleaned_data["interview_date"]
        zone = ZoneInfo(self.cleaned_data.get("timezone") or self.instance.timezone)
        today = timezone.now().astimezone(zone).date()
        if interview and interview < today and interview != self.instance.interview_date:
            raise forms.ValidationError("That date has passed: pick a future date or leave it empty.")
        return interview
