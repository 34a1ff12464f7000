"""The daily review digest: who gets one today (set-based, per time zone) and sending it once."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from prep.accounts.models import Profile
from prep.practice.models import Card, Digest
from questions.models import Question

INTERVIEW_SOON_DAYS = 14
UNSUBSCRIBE_SALT = "prep.digest.unsubscribe"


def _local_end_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0), tz)


def _due_cards(user_ref, until: datetime):
    return Card.objects.filter(
        user_id=user_ref, reps__gt=0, due__lt=until, question__status=Question.Status.PUBLISHED
    )


def _eligible(zone_names: list[str], *, day: date, hour: int, until: datetime):
    """Profiles in these zones whose candidate should get today's digest and has none yet."""
    return (
        Profile.objects.filter(
            timezone__in=zone_names, email_reminders=True, reminder_hour__lte=hour, user__is_active=True
        )
        .exclude(paused_until__gt=day)
        .filter(~Exists(Digest.objects.filter(user_id=OuterRef("user_id"), local_date=day)))
        .filter(
            Exists(_due_cards(OuterRef("user_id"), until))
            | Q(interview_date__gte=day, interview_date__lte=day + timedelta(days=INTERVIEW_SOON_DAYS))
        )
    )


def _insert_digests(eligible, *, day: date, now: datetime) -> list[int]:
    """INSERT ... SELECT: the rows are made in the database in one statement, no ids round-trip
    through Python; ON CONFLICT skips users a concurrent run already covered."""
    rows = eligible.annotate(digest_day=Value(day), digest_created=Value(now)).values_list(
        "user_id", "digest_day", "digest_created"
    )
    select, params = rows.query.sql_with_params()
    table = connection.ops.quote_name(Digest._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (user_id, local_date, created_at) {select} "  # noqa: S608 - ORM-built
            "ON CONFLICT DO NOTHING RETURNING id",
            params,
        )
        return [row[0] for row in cursor.fetchall()]


def digests_create(*, now: datetime) -> list[int]:
    """Create today's Digest rows for every candidate whose local reminder hour has come, who has
    reviews due today or an interview within two weeks, and who has none for today yet.

    One INSERT ... SELECT per group of time zones sharing a local date, hour and offset (never
    a query per user); the unique (user, local_date) keeps a second run from adding any.
    Returns the ids of the digests this run created, for the send tasks.
    """
    zones = Profile.objects.filter(email_reminders=True).values_list("timezone", flat=True).distinct()
    groups: dict[tuple, list[str]] = defaultdict(list)
    for name in zones:
        local = now.astimezone(ZoneInfo(name))
        groups[(local.date(), local.hour, local.utcoffset())].append(name)
    pending: list[int] = []
    for (day, hour, _offset), names in groups.items():
        eligible = _eligible(names, day=day, hour=hour, until=_local_end_of_day(day, ZoneInfo(names[0])))
        pending += _insert_digests(eligible, day=day, now=now)
    return pending


@dataclass(frozen=True)
class DigestContent:
    due: int
    streak: int
    practised_today: bool
    interview_in_days: int | None


def _contents(digests: list[Digest]) -> dict[int, DigestContent]:
    """Due counts for a whole batch in one aggregate query; the rest comes from the profiles."""
    by_zone = defaultdict(list)
    for digest in digests:
        by_zone[digest.user.profile.timezone].append(digest)
    due: dict[int, int] = {}
    for zone, group in by_zone.items():
        until = _local_end_of_day(group[0].local_date, ZoneInfo(zone))
        rows = (
            Card.objects.filter(
                user_id__in=[d.user_id for d in group],
                reps__gt=0,
                due__lt=until,
                question__status=Question.Status.PUBLISHED,
            )
            .values("user_id")
            .annotate(n=Count("id"))
        )
        due.update({row["user_id"]: row["n"] for row in rows})
    contents = {}
    for digest in digests:
        profile = digest.user.profile
        interview = profile.interview_date
        contents[digest.pk] = DigestContent(
            due=due.get(digest.user_id, 0),
            streak=profile.current_streak(digest.local_date),
            practised_today=profile.last_practice_day == digest.local_date,
            interview_in_days=(interview - digest.local_date).days
            if interview and interview >= digest.local_date
            else None,
        )
    return contents


def unsubscribe_token(user_id: int) -> str:
    return signing.dumps(user_id, salt=UNSUBSCRIBE_SALT)


def user_id_from_unsubscribe_token(token: str) -> int | None:
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None


def _message(digest: Digest, content: DigestContent, connection) -> EmailMultiAlternatives:
    unsubscribe_url = settings.SITE_URL + reverse(
        "practice:unsubscribe", args=[unsubscribe_token(digest.user_id)]
    )
    context = {
        "digest": digest,
        "content": content,
        "practice_url": settings.SITE_URL + reverse("practice:session"),
        "settings_url": settings.SITE_URL + reverse("accounts:settings"),
        "unsubscribe_url": unsubscribe_url,
    }
    if content.due:
        subject = f"{content.due} review{'s' if content.due != 1 else ''} due today"
    else:
        subject = f"Your interview is in {content.interview_in_days} days"
    message = EmailMultiAlternatives(
        subject=f"[Prep] {subject}",
        body=render_to_string("practice/email/digest.txt", context),
        to=[digest.user.email],
        connection=connection,
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    message.attach_alternative(render_to_string("practice/email/digest.html", context), "text/html")
    return message


def digests_send(*, digest_ids: list[int]) -> int:
    """Send a batch of digests; each is claimed, sent and marked in its own transaction.

    A digest already sent (a repeated task, a redelivered message) is skipped, and a row locked
    by another worker is left to it. Returns how many were sent here.
    """
    digests = list(
        Digest.objects.filter(pk__in=digest_ids, sent_at__isnull=True).select_related("user__profile")
    )
    contents = _contents(digests)
    sent = 0
    with get_connection() as connection:
        for digest in digests:
            with transaction.atomic():
                claimed = (
                    Digest.objects.select_for_update(skip_locked=True)
                    .filter(pk=digest.pk, sent_at__isnull=True)
                    .first()
                )
                if claimed is None:
                    continue
                content = contents[digest.pk]
                if content.due or content.interview_in_days is not None:
                    _message(digest, content, connection).send()
                    sent += 1
                claimed.sent_at = timezone.now()
                claimed.save(update_fields=["sent_at"])  # with nothing left to say, just close it
    return sent


def digests_unsent(*, older_than: datetime) -> list[int]:
    """Digests created before `older_than` and still not sent (their message was lost)."""
    return list(
        Digest.objects.filter(sent_at__isnull=True, created_at__lt=older_than).values_list("id", flat=True)
    )
