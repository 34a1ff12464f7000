import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from questions.models import Question, Topic
from tests.questions.bank_samples import MIXED, VALID

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def bank(tmp_path) -> Path:
    path = tmp_path / "bank.yaml"
    path.write_text(VALID, encoding="utf-8")
    return path


def test_import_creates_then_is_idempotent(bank):
    assert "2 created" in run("import_bank", str(bank))
    question = Question.objects.get(slug="sample-choice")
    assert question.choices.filter(is_correct=True).get().text == "Re-index the changed document"
    assert [p.weight for p in question.rubric_points.all()] == [3, 1, 1]
    assert "0 created, 0 updated, 2 unchanged" in run("import_bank", str(bank))
    assert Question.objects.get(slug="sample-choice").version == 1


def test_changed_question_is_updated_and_versioned(bank):
    run("import_bank", str(bank))
    bank.write_text(VALID.replace("Which index to rebuild", "Which index to rebuild first"))
    assert "1 updated" in run("import_bank", str(bank))
    question = Question.objects.get(slug="sample-choice")
    assert (question.title, question.version) == ("Which index to rebuild first", 2)


def test_dry_run_prints_changes_and_writes_nothing(bank):
    out = run("import_bank", str(bank), "--dry-run")
    assert "would create: sample-choice" in out and "would create topic: sample-topic" in out
    assert not Question.objects.exists() and not Topic.objects.exists()


@pytest.mark.parametrize(
    "text, expected",
    [
        (MIXED, "question 'sample-broken': rubric: is required"),
        ("format: 1\nquestions: [\n", "not valid YAML"),
        ("title: a recipe\nsteps: [boil]\n", "not a bank file"),
    ],
)
def test_malformed_file_imports_nothing_and_fails(tmp_path, bank, text, expected):
    broken = tmp_path / "broken.yaml"
    broken.write_text(text)
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_bank", str(bank), str(broken), stdout=io.StringIO(), stderr=err)
    assert expected in err.getvalue() and str(broken) in err.getvalue()
    assert not Question.objects.exists()


def test_export_then_reimport_changes_nothing(bank, tmp_path):
    run("import_bank", str(bank))
    exported = tmp_path / "export.yaml"
    call_command("export_bank", "--track", "ai-engineer", "--output", str(exported), stderr=io.StringIO())
    assert "0 created, 0 updated, 2 unchanged; topics: 0 created, 0 updated" in run(
        "import_bank", str(exported)
    )
    assert run("export_bank", "--track", "ai-engineer") == exported.read_text()


def test_export_rejects_unknown_track():
    with pytest.raises(CommandError, match="Unknown track 'web-dev'"):
        run("export_bank", "--track", "web-dev")


def test_bank_stats_counts_published_questions_by_track_topic_kind_and_difficulty(bank):
    run("import_bank", str(bank))
    Question.objects.filter(slug="sample-free").update(status=Question.Status.DRAFT)
    out = run("bank_stats")
    assert "- AI Engineer: 1" in out
    assert "- ai-engineer / Sample topic: 1" in out
    assert "- ai-engineer / single-choice: 1" in out and "free-text" not in out
    assert "- ai-engineer / easy: 1" in out and "hard" not in out
