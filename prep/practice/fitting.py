"""Personal FSRS parameters, fitted with fsrs-rs-python from a user's own review log."""

from itertools import groupby

import fsrs_rs_python as fsrs_rs
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from prep.accounts.days import local_day
from prep.accounts.models import Profile
from prep.practice.models import FitRequest, ParameterSet, Review

# Fewer items than this and the optimizer cannot beat the defaults (items = reviews that follow
# an earlier review of the same card on another day).
MIN_TRAINING_ITEMS = 100
# FSRS needs a few hundred reviews before personal parameters beat the defaults.
MIN_REVIEWS_FOR_FIRST_FIT = 400
REVIEWS_BETWEEN_FITS = 200


def reviews_needed_for_fit(parameters_version: int) -> int:
    """New reviews after which a (re)fit is due: more for the first fit than for a refit."""
    return MIN_REVIEWS_FOR_FIRST_FIT if parameters_version == 0 else REVIEWS_BETWEEN_FITS


def training_items(reviews, *, timezone_name: str, rollover_hour: int) -> list:
    """FSRSItems from reviews ordered by card then time: one item per review after the first,
    holding that card's history up to it, with day gaps in the user's own days."""
    items = []
    for _card_id, card_reviews in groupby(reviews, key=lambda r: r[0]):
        history, previous_day = [], None
        for _, rating, reviewed_at in card_reviews:
            day = local_day(reviewed_at, timezone=timezone_name, rollover_hour=rollover_hour)
            delta = 0 if previous_day is None else (day - previous_day).days
            history.append(fsrs_rs.FSRSReview(rating, delta))
            previous_day = day
            if len(history) > 1:
                item = fsrs_rs.FSRSItem(list(history))
                if item.long_term_review_cnt() > 0:
                    items.append(item)
    return items


def parameters_fit(*, fit_request_id: int) -> str:
    """Fit and store new parameters for the request's user; idempotent (a done request is a no-op).

    The slow part (the optimizer) runs outside any transaction; storing the result locks the
    request so a twin run cannot store a second version.
    """
    request = FitRequest.objects.select_related("user__profile").get(pk=fit_request_id)
    if request.done_at:
        return request.outcome
    profile = request.user.profile
    reviews = Review.objects.filter(user_id=profile.user_id).order_by("card_id", "reviewed_at", "id")
    rows = reviews.values_list("card_id", "rating", "reviewed_at").iterator(chunk_size=5000)
    items = training_items(rows, timezone_name=profile.timezone, rollover_hour=profile.day_rollover_hour)
    review_count = reviews.count()
    if len(items) < MIN_TRAINING_ITEMS:
        outcome = f"kept defaults: {len(items)} training items, {MIN_TRAINING_ITEMS} needed"
        _finish(fit_request_id, outcome)
        return outcome
    fitted = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).compute_parameters(items)
    log_loss = fsrs_rs.FSRS(fitted).evaluate(items).log_loss
    default_log_loss = fsrs_rs.FSRS(fsrs_rs.DEFAULT_PARAMETERS).evaluate(items).log_loss
    return _store(fit_request_id, fitted, review_count, log_loss, default_log_loss)


@transaction.atomic
def _store(fit_request_id, fitted, review_count, log_loss, default_log_loss) -> str:
    request = FitRequest.objects.select_for_update().get(pk=fit_request_id)
    if request.done_at:
        return request.outcome
    profile = Profile.objects.select_for_update().get(user_id=request.user_id)
    version = profile.parameters_version + 1
    ParameterSet.objects.create(
        user_id=request.user_id,
        version=version,
        parameters=list(fitted),
        review_count=review_count,
        log_loss=log_loss,
        default_log_loss=default_log_loss,
        fitted_at=timezone.now(),
    )
    profile.fsrs_parameters = list(fitted)
    profile.parameters_version = version
    profile.reviews_since_fit = 0
    profile.save(update_fields=["fsrs_parameters", "parameters_version", "reviews_since_fit"])
    outcome = f"fitted version {version} on {review_count} reviews (log loss {log_loss:.3f})"
    request.done_at, request.outcome = timezone.now(), outcome
    request.save(update_fields=["done_at", "outcome"])
    return outcome


def _finish(fit_request_id: int, outcome: str) -> None:
    FitRequest.objects.filter(pk=fit_request_id, done_at__isnull=True).update(
        done_at=timezone.now(), outcome=outcome
    )


def fit_requests_create() -> list[int]:
    """Open a FitRequest for every user with enough new reviews and none open (set-based);
    returns the ids of all open requests (the same rule as reviews_needed_for_fit, in SQL)."""
    due_for_fit = Profile.objects.filter(
        Q(parameters_version=0, reviews_since_fit__gte=MIN_REVIEWS_FOR_FIRST_FIT)
        | Q(parameters_version__gt=0, reviews_since_fit__gte=REVIEWS_BETWEEN_FITS)
    ).values_list("user_id", flat=True)
    FitRequest.objects.bulk_create(
        [FitRequest(user_id=user_id) for user_id in due_for_fit.iterator(chunk_size=1000)],
        ignore_conflicts=True,  # the partial unique index keeps one open request per user
        batch_size=1000,
    )
    return list(FitRequest.objects.filter(done_at__isnull=True).values_list("id", flat=True))
