import pytest

from questions.bankfile import BankError, dump_bank, load_bank
from tests.questions.bank_samples import MIXED, VALID, invalid_question


def write(tmp_path, text, name="bank.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(paths, **kwargs) -> list[str]:
    with pytest.raises(BankError) as excinfo:
        load_bank(paths, **kwargs)
    return [str(p) for p in excinfo.value.problems]


def test_valid_file_loads_topics_and_questions(tmp_path):
    bank = load_bank([write(tmp_path, VALID)])
    assert [t.slug for t in bank.topics] == ["sample-topic"]
    assert [q.slug for q in bank.questions] == ["sample-choice", "sample-free"]
    choice = bank.questions[0]
    assert [c.correct for c in choice.choices] == [True, False, False]
    assert choice.time_minutes == 2  # default for choice questions
    assert bank.questions[1].rubric[0].weight == 1


def test_folder_is_read_recursively(tmp_path):
    (tmp_path / "ai").mkdir()
    write(tmp_path / "ai", VALID)
    assert len(load_bank([tmp_path]).questions) == 2


def test_broken_yaml_names_file_and_line(tmp_path):
    path = write(tmp_path, "format: 1\nquestions: [\n  - slug: x\n")
    [problem] = problems_of([path])
    assert str(path) in problem and "not valid YAML (line" in problem


def test_a_file_that_is_not_a_bank_is_refused(tmp_path):
    path = write(tmp_path, "- just\n- a list\n")
    [problem] = problems_of([path])
    assert "not a bank file" in problem


def test_mixed_valid_and_invalid_reports_slug_and_fields(tmp_path):
    found = problems_of([write(tmp_path, MIXED)])
    assert any("question 'sample-broken': rubric: is required" in p for p in found)
    assert any("question 'sample-broken': choices: a multi-choice question needs" in p for p in found)
    assert all("sample-choice" not in p for p in found)


def test_duplicate_slugs_across_files(tmp_path):
    a = write(tmp_path, VALID, "a.yaml")
    b = write(tmp_path, VALID.replace("- slug: sample-topic", "- slug: other-topic"), "b.yaml")
    found = problems_of([a, b])
    assert any("'sample-choice': slug: duplicate slug" in p for p in found)


def test_unknown_topic_and_topic_of_another_track(tmp_path):
    text = VALID.replace("topics: [sample-topic]\n    kind: free-text", "topics: [nope]\n    kind: free-text")
    found = problems_of([write(tmp_path, text)])
    assert any("'sample-free': topics: unknown topic 'nope'" in p for p in found)
    found = problems_of(
        [write(tmp_path, text.replace("[nope]", "[ml-topic]"))], known_topics={"ml-topic": "ml-engineer"}
    )
    assert any("topic 'ml-topic' belongs to ml-engineer" in p for p in found)


def test_single_choice_needs_exactly_one_correct(tmp_path):
    text = VALID.replace("correct: false\n        why: Sampling", "correct: true\n        why: Sampling")
    found = problems_of([write(tmp_path, text)])
    assert any("needs exactly one correct choice, has 2" in p for p in found)


def test_empty_and_oversized_fields(tmp_path):
    text = VALID.replace("answer: Re-index the changed document.", "answer: ''")
    text = text.replace("explanation: The index is stale.", "explanation: " + "x" * 8001)
    found = problems_of([write(tmp_path, text)])
    assert any("'sample-choice': answer: must not be empty" in p for p in found)
    assert any("'sample-choice': explanation: is 8001 characters long" in p for p in found)


def test_rubric_size_and_unknown_keys(tmp_path):
    text = VALID.replace("      - text: Adds a freshness check\n", "").replace(
        "title: Which", "titel: x\n    title: Which"
    )
    found = problems_of([write(tmp_path, text)])
    assert any("'sample-choice': rubric: must be a list of 3 to 7 points" in p for p in found)
    assert any("'sample-choice': titel: unknown key" in p for p in found)


def test_near_duplicate_prompts(tmp_path):
    long_prompt = (
        "Your support bot answers refund questions from a vector index rebuilt every night from a CMS "
        "export. Yesterday legal changed the refund window from 30 to 14 days and published the new "
        "policy at noon, yet this morning customers are still told 30 days. What do you check first, "
        "and what would you change so that it cannot happen again?"
    )
    text = VALID.replace(
        "How would you measure how stale a nightly-rebuilt vector index is for a wiki with many edits a day?",
        long_prompt,
    )
    copy = (
        VALID.split("questions:\n")[1]
        .replace("sample-choice", "copy-choice")
        .replace("sample-free", "copy-free")
    )
    copy = copy.replace(
        "How would you measure how stale a nightly-rebuilt vector index is for a wiki with many edits a day?",
        long_prompt.replace("this morning", "today"),
    )
    found = problems_of([write(tmp_path, text + copy)])
    assert any("'copy-free': prompt: near-duplicate of question 'sample-free'" in p for p in found)


def test_yaml_booleans_where_text_belongs_are_explained(tmp_path):
    found = problems_of([write(tmp_path, VALID + invalid_question("x-bool").replace('"yes"', "yes"))])
    assert any("why: must be text (quote it" in p for p in found)


def test_dump_then_load_round_trips(tmp_path):
    bank = load_bank([write(tmp_path, VALID)])
    again = load_bank([write(tmp_path, dump_bank(bank), "again.yaml")])
    assert again.questions == bank.questions
    assert again.topics == bank.topics
