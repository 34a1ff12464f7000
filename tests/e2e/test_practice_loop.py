import re

import pytest
from django.core.management import call_command

from prep.practice.models import Review

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_sign_up_and_practise_three_questions_with_the_keyboard(live_server, page):
    call_command("import_bank", "questions/banks", verbosity=0)
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Start practising").click()
    page.fill("input[name=email]", "kim@example.com")
    page.fill("input[name=password1]", "a-long-unusual-passphrase-42")
    page.fill("input[name=password2]", "a-long-unusual-passphrase-42")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/me/settings/$"))
    page.get_by_role("link", name="Practice").click()

    for n in range(1, 4):
        card = page.locator("#practice-card")
        title = card.locator("h1").inner_text()
        choices = card.locator("input[name=choices]")
        if choices.count():
            choices.first.check()
        page.fill("textarea[name=answer]", f"My answer number {n}")
        page.press("textarea[name=answer]", "Escape")
        page.keyboard.press("Space")
        page.get_by_role("heading", name="Model answer").wait_for()
        page.keyboard.press("3")
        graded = page.get_by_test_id("graded")
        graded.wait_for()
        assert title in graded.inner_text()
        assert re.search(r"comes back (in \d+ (minute|hour|day)s?|now)", graded.inner_text())

    assert Review.objects.filter(user__email="kim@example.com", rating=3).count() == 3
    assert "/practice/" in page.url  # htmx swapped cards in place, no full navigation

    page.get_by_role("link", name="Progress").click()
    page.get_by_role("heading", name="Your progress").wait_for()
    assert page.locator("svg rect").count() > 30  # the forecast bars and the heatmap cells
    assert "3 reviews" in page.locator("body").inner_text()
