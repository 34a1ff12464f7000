"""Reads for the candidate's progress page, and the geometry of its server-drawn SVG charts.

A fixed number of queries whatever the history size: practised cards and the review window are
read once as plain values and bucketed into the candidate's local days in Python (local days
depend on the time zone and rollover hour, which SQL date truncation gets wrong around DST).
"""

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q

from prep.practice.models import Card, ParameterSet, Review
from prep.practice.scheduling import retrievability
from questions.models import Question, Topic

FORECAST_DAYS = 30
FORECAST_LABEL_EVERY = 7
MASTERED_STABILITY_DAYS = 21
HEATMAP_WEEKS = 26
HEATMAP_LEVELS = 4  # shades above "no reviews"; five CSS classes in all
HEATMAP_CELL = 12
HEATMAP_GAP = 3
HEATMAP_LEFT = 30  # room for weekday labels
HEATMAP_TOP = 16  # room for month labels
MASTERY_BAR_WIDTH = 160


@dataclass(frozen=True)
class ChartFrame:
    """The forecast chart's viewBox and plot area, in SVG user units."""

    width: int = 640
    height: int = 190
    left: int = 40
    right: int = 632
    top: int = 12
    bottom: int = 160  # the baseline; day labels sit below it

    @property
    def plot_height(self) -> int:
        return self.bottom - self.top

    @property
    def plot_width(self) -> int:
        return self.right - self.left

    @property
    def label_y(self) -> int:
        return self.bottom + 20


@dataclass(frozen=True)
class ForecastBar:
    day: date
    offset: int
    count: int
    x: float
    y: float
    width: float
    height: float
    label_x: float
    labelled: bool  # a few bars carry a day label under the axis


@dataclass(frozen=True)
class Forecast:
    bars: list[ForecastBar]
    frame: ChartFrame

    @property
    def total(self) -> int:
        return sum(bar.count for bar in self.bars)

    @property
    def max_count(self) -> int:
        return max((bar.count for bar in self.bars), default=0)

    @property
    def today(self) -> int:
        return self.bars[0].count


@dataclass(frozen=True)
class Retention:
    practised: int
    mean: float | None  # None when nothing is practised
    parameter_set: ParameterSet | None  # None: fsrs default parameters
    fitted_on: date | None  # the parameter set's fitting day, in the candidate's time zone

    @property
    def percent(self) -> int | None:
        return None if self.mean is None else round(self.mean * 100)


@dataclass(frozen=True)
class MasteryRow:
    track: str
    topic: str
    questions: int
    practised: int
    mastered: int
    practised_width: float
    mastered_width: float
    full_width: int = MASTERY_BAR_WIDTH


@dataclass(frozen=True)
class HeatmapCell:
    day: date
    count: int
    level: int
    x: int
    y: int


@dataclass(frozen=True)
class HeatmapLabel:
    text: str
    x: int
    y: int


@dataclass(frozen=True)
class Heatmap:
    cells: list[HeatmapCell]
    months: list[HeatmapLabel]
    weekdays: list[HeatmapLabel]
    width: int
    height: int
    first_day: date
    cell_size: int = HEATMAP_CELL

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)

    @property
    def active_days(self) -> int:
        return sum(1 for cell in self.cells if cell.count)

    @property
    def legend(self) -> list[tuple[int, int]]:
        """(shade level, x) for the "Less … More" key."""
        return [(level, level * (HEATMAP_CELL + HEATMAP_GAP)) for level in range(HEATMAP_LEVELS + 1)]


@dataclass(frozen=True)
class Streak:
    days: int  # 0 when the streak is broken (no practice today or yesterday)
    practised_today: bool


@dataclass(frozen=True)
class Progress:
    today: date
    total_reviews: int
    forecast: Forecast
    retention: Retention
    mastery: list[MasteryRow]
    heatmap: Heatmap
    streak: Streak

    @property
    def has_history(self) -> bool:
        return self.total_reviews > 0

    @property
    def questions_available(self) -> int:
        return sum(row.questions for row in self.mastery)


# Geometry: pure functions, tested through the page.


def forecast_bars(counts: list[int], *, today: date, frame: ChartFrame = ChartFrame()) -> list[ForecastBar]:
    """One bar per day, scaled to the busiest day; every FORECAST_LABEL_EVERY-th day labelled."""
    peak = max(counts, default=0) or 1
    slot = frame.plot_width / len(counts)
    bar_width = slot * 0.72
    bars = []
    for offset, count in enumerate(counts):
        height = count / peak * frame.plot_height
        if count:
            height = max(height, 2.0)  # a single review stays visible next to a busy day
        x = frame.left + offset * slot + (slot - bar_width) / 2
        bars.append(
            ForecastBar(
                day=today + timedelta(days=offset),
                offset=offset,
                count=count,
                x=round(x, 1),
                y=round(frame.bottom - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                label_x=round(x + bar_width / 2, 1),
                labelled=offset % FORECAST_LABEL_EVERY == 0,
            )
        )
    return bars


def shade_level(count: int, peak: int) -> int:
    """0 for no reviews, else 1..HEATMAP_LEVELS by the day's share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return min(HEATMAP_LEVELS, max(1, math.ceil(count / peak * HEATMAP_LEVELS)))


def heatmap_first_day(today: date) -> date:
    """The Monday that starts the first of HEATMAP_WEEKS columns; the last column holds today."""
    return today - timedelta(days=today.weekday(), weeks=HEATMAP_WEEKS - 1)


def heatmap(counts: dict[date, int], *, today: date) -> Heatmap:
    """Columns are weeks (Monday first), rows weekdays, up to and including today."""
    first = heatmap_first_day(today)
    step = HEATMAP_CELL + HEATMAP_GAP
    peak = max(counts.values(), default=0)
    cells = []
    months = []
    for day_index in range((today - first).days + 1):
        day = first + timedelta(days=day_index)
        week, weekday = divmod(day_index, 7)
        count = counts.get(day, 0)
        x, y = HEATMAP_LEFT + week * step, HEATMAP_TOP + weekday * step
        cells.append(HeatmapCell(day=day, count=count, level=shade_level(count, peak), x=x, y=y))
        # A month is labelled above the first week that starts in it (or the first column).
        if weekday == 0 and (week == 0 or day.day <= 7):
            months.append(HeatmapLabel(text=day.strftime("%b"), x=x, y=HEATMAP_TOP - 5))
    if len(months) > 1 and months[1].x - months[0].x < 3 * step:
        months.pop(0)  # the partial first month would collide with the next label
    weekdays = [
        HeatmapLabel(text=name, x=HEATMAP_LEFT - 6, y=HEATMAP_TOP + row * step + HEATMAP_CELL - 2)
        for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"))
    ]
    return Heatmap(
        cells=cells,
        months=months,
        weekdays=weekdays,
        width=HEATMAP_LEFT + HEATMAP_WEEKS * step,
        height=HEATMAP_TOP + 7 * step,
        first_day=first,
    )


def _bar_width(part: int, whole: int) -> float:
    return round(min(part / whole, 1.0) * MASTERY_BAR_WIDTH, 1) if whole else 0.0


# Selectors.


def _practised_cards(profile):
    return Card.objects.filter(
        user_id=profile.user_id,
        reps__gt=0,
        question__status=Question.Status.PUBLISHED,
        question__track__slug__in=profile.track_slugs,
    )


def _parameters(profile) -> tuple[float, ...] | None:
    return tuple(profile.fsrs_parameters) if profile.fsrs_parameters else None


def _forecast_and_retention(profile, *, now: datetime, today: date) -> tuple[Forecast, Retention]:
    counts = [0] * FORECAST_DAYS
    recall = []
    parameters = _parameters(profile)
    cards = _practised_cards(profile).values_list("due", "stability", "last_review")
    for due, stability, last_review in cards:
        due_day = profile.local_day(due)
        offset = (due_day - today).days
        if offset < FORECAST_DAYS:
            counts[max(offset, 0)] += 1  # overdue cards are today's work
        recall.append(
            retrievability(stability=stability, last_review=last_review, now=now, parameters=parameters)
        )
    parameter_set = fitted_on = None
    if profile.parameters_version:
        parameter_set = ParameterSet.objects.filter(
            user_id=profile.user_id, version=profile.parameters_version
        ).first()
        if parameter_set is not None:
            fitted_on = parameter_set.fitted_at.astimezone(ZoneInfo(profile.timezone)).date()
    retention = Retention(
        practised=len(recall),
        mean=sum(recall) / len(recall) if recall else None,
        parameter_set=parameter_set,
        fitted_on=fitted_on,
    )
    frame = ChartFrame()
    return Forecast(bars=forecast_bars(counts, today=today, frame=frame), frame=frame), retention


def _mastery(profile) -> list[MasteryRow]:
    topics = (
        Topic.objects.filter(track__slug__in=profile.track_slugs)
        .annotate(question_count=Count("questions", filter=Q(questions__status=Question.Status.PUBLISHED)))
        .filter(question_count__gt=0)
        .order_by("track__name", "name")
        .values_list("pk", "track__name", "name", "question_count")
    )
    per_topic = {
        row["question__topics"]: row
        for row in _practised_cards(profile)
        .values("question__topics")
        .annotate(
            practised=Count("id"), mastered=Count("id", filter=Q(stability__gte=MASTERED_STABILITY_DAYS))
        )
    }
    rows = []
    for topic_id, track, name, questions in topics:
        cards = per_topic.get(topic_id, {"practised": 0, "mastered": 0})
        rows.append(
            MasteryRow(
                track=track,
                topic=name,
                questions=questions,
                practised=cards["practised"],
                mastered=cards["mastered"],
                practised_width=_bar_width(cards["practised"], questions),
                mastered_width=_bar_width(cards["mastered"], questions),
            )
        )
    return rows


def _review_days(profile, *, today: date) -> dict[date, int]:
    first = heatmap_first_day(today)
    since = datetime.combine(first, time(profile.day_rollover_hour), ZoneInfo(profile.timezone))
    counts: dict[date, int] = {}
    for reviewed_at in Review.objects.filter(user_id=profile.user_id, reviewed_at__gte=since).values_list(
        "reviewed_at", flat=True
    ):
        day = profile.local_day(reviewed_at)
        counts[day] = counts.get(day, 0) + 1
    return counts


def _streak(profile, *, today: date) -> Streak:
    return Streak(days=profile.current_streak(today), practised_today=profile.last_practice_day == today)


def progress_for(*, profile, now: datetime) -> Progress:
    """Everything the progress page shows for this candidate, in at most six queries."""
    today = profile.local_day(now)
    forecast, retention = _forecast_and_retention(profile, now=now, today=today)
    return Progress(
        today=today,
        total_reviews=Review.objects.filter(user_id=profile.user_id).count(),
        forecast=forecast,
        retention=retention,
        mastery=_mastery(profile),
        heatmap=heatmap(_review_days(profile, today=today), today=today),
        streak=_streak(profile, today=today),
    )
