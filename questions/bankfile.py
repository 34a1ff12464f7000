"""Reading, validating and writing bank files (docs/BANK_FORMAT.md).

Pure Python + PyYAML, no Django: the importer, the exporter and the shipped-bank tests all go
through here, and bank authors can check a file with `python -m questions.bankfile FILE...`.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path

import yaml

FORMAT_VERSION = 1
TRACKS = {"ai-engineer": "AI Engineer", "ml-engineer": "ML Engineer"}
KINDS = ("single-choice", "multi-choice", "free-text", "system-design", "code-reading")
CHOICE_KINDS = ("single-choice", "multi-choice")
DIFFICULTIES = ("easy", "medium", "hard")
STATUSES = ("draft", "review", "published", "retired")
DEFAULT_MINUTES = {
    "single-choice": 2,
    "multi-choice": 2,
    "free-text": 5,
    "code-reading": 5,
    "system-design": 15,
}
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
MAX_SLUG = 80
MAX_TEXT = 8000
MAX_TITLE = 120
MAX_TOPIC_NAME = 100
MAX_TOPIC_DESCRIPTION = 500
MAX_RUBRIC_TEXT = 300
MAX_CHOICE_TEXT = 500
MAX_WHY = 300
NEAR_DUPLICATE_SIMILARITY = 0.8

FILE_KEYS = {"format", "topics", "questions"}
TOPIC_KEYS = {"slug", "track", "name", "description"}
QUESTION_KEYS = {
    "slug",
    "track",
    "topics",
    "kind",
    "difficulty",
    "title",
    "time_minutes",
    "status",
    "prompt",
    "answer",
    "explanation",
    "rubric",
    "choices",
}
REQUIRED_QUESTION_KEYS = QUESTION_KEYS - {"time_minutes", "status", "choices"}


@dataclass(frozen=True)
class Problem:
    file: str
    slug: str
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file + (f": question '{self.slug}'" if self.slug else "")
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class BankError(Exception):
    """Raised with every problem found; nothing may be imported when it is."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class TopicSpec:
    slug: str
    track: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class RubricSpec:
    text: str
    weight: int = 1


@dataclass(frozen=True)
class ChoiceSpec:
    text: str
    correct: bool
    why: str


@dataclass(frozen=True)
class QuestionSpec:
    slug: str
    track: str
    topics: tuple[str, ...]
    kind: str
    difficulty: str
    title: str
    time_minutes: int
    status: str
    prompt: str
    answer: str
    explanation: str
    rubric: tuple[RubricSpec, ...]
    choices: tuple[ChoiceSpec, ...] = ()
    source: str = field(default="", compare=False)


@dataclass
class Bank:
    topics: list[TopicSpec]
    questions: list[QuestionSpec]


def bank_files(paths: list[str | Path]) -> list[Path]:
    """Files named directly, plus every *.yaml / *.yml under named folders, sorted."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        else:
            files.append(path)
    return files


def load_bank(paths: list[str | Path], known_topics: dict[str, str] | None = None) -> Bank:
    """Parse and validate every file; raise BankError listing every problem found.

    `known_topics` maps topic slug -> track slug for topics that already exist (the database),
    so a file may add questions to a topic declared elsewhere.
    """
    problems: list[Problem] = []
    topics: list[TopicSpec] = []
    questions: list[QuestionSpec] = []
    files = bank_files(paths)
    if not files:
        raise BankError([Problem(" ".join(map(str, paths)), "", "", "no bank files found")])
    for path in files:
        file_topics, file_questions = _parse_file(path, problems)
        topics.extend(file_topics)
        questions.extend(file_questions)
    _check_across(topics, questions, known_topics or {}, problems)
    if problems:
        raise BankError(problems)
    return Bank(topics=topics, questions=questions)


def _parse_file(path: Path, problems: list[Problem]):
    name = str(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(name, "", "", "file not found"))
        return [], []
    except UnicodeDecodeError:
        problems.append(Problem(name, "", "", "not a UTF-8 text file"))
        return [], []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark else ""
        problems.append(Problem(name, "", "", f"not valid YAML{where}: {getattr(exc, 'problem', exc)}"))
        return [], []
    if not isinstance(data, dict) or "questions" not in data:
        problems.append(
            Problem(name, "", "", "not a bank file: expected a mapping with 'format' and 'questions'")
        )
        return [], []
    for key in sorted(set(data) - FILE_KEYS):
        problems.append(Problem(name, "", key, "unknown key"))
    if data.get("format") != FORMAT_VERSION:
        problems.append(Problem(name, "", "format", f"must be {FORMAT_VERSION}"))
    raw_topics = data.get("topics") or []
    raw_questions = data.get("questions") or []
    if not isinstance(raw_topics, list):
        problems.append(Problem(name, "", "topics", "must be a list"))
        raw_topics = []
    if not isinstance(raw_questions, list):
        problems.append(Problem(name, "", "questions", "must be a list"))
        raw_questions = []
    topics = [t for i, raw in enumerate(raw_topics) if (t := _parse_topic(name, i, raw, problems))]
    questions = [q for i, raw in enumerate(raw_questions) if (q := _parse_question(name, i, raw, problems))]
    return topics, questions


def _text(value, *, limit: int, required: bool = True) -> tuple[str, str | None]:
    """(cleaned text, error message or None)."""
    if value is None:
        return "", ("is required" if required else None)
    if not isinstance(value, str):
        return "", "must be text (quote it: YAML reads yes, no, true and numbers as other types)"
    text = value.strip()
    if required and not text:
        return "", "must not be empty"
    if len(text) > limit:
        return "", f"is {len(text)} characters long; at most {limit}"
    return text, None


def _slug_error(value) -> str | None:
    if not isinstance(value, str) or not SLUG_RE.match(value):
        return "must be lowercase letters, digits and single hyphens"
    if len(value) > MAX_SLUG:
        return f"at most {MAX_SLUG} characters"
    return None


def _parse_topic(name: str, index: int, raw, problems: list[Problem]) -> TopicSpec | None:
    label = f"topics[{index}]"
    if not isinstance(raw, dict):
        problems.append(Problem(name, "", label, "must be a mapping"))
        return None
    before = len(problems)
    for key in sorted(set(raw) - TOPIC_KEYS):
        problems.append(Problem(name, "", f"{label}.{key}", "unknown key"))
    if err := _slug_error(raw.get("slug")):
        problems.append(Problem(name, "", f"{label}.slug", err))
    if raw.get("track") not in TRACKS:
        problems.append(Problem(name, "", f"{label}.track", f"must be one of {', '.join(TRACKS)}"))
    topic_name, err = _text(raw.get("name"), limit=MAX_TOPIC_NAME)
    if err:
        problems.append(Problem(name, "", f"{label}.name", err))
    description, err = _text(raw.get("description"), limit=MAX_TOPIC_DESCRIPTION, required=False)
    if err:
        problems.append(Problem(name, "", f"{label}.description", err))
    if len(problems) > before:
        return None
    return TopicSpec(slug=raw["slug"], track=raw["track"], name=topic_name, description=description)


def _parse_question(name: str, index: int, raw, problems: list[Problem]) -> QuestionSpec | None:
    if not isinstance(raw, dict):
        problems.append(Problem(name, "", f"questions[{index}]", "must be a mapping"))
        return None
    slug = raw.get("slug")
    slug_label = slug if isinstance(slug, str) else f"#{index + 1}"
    before = len(problems)

    def bad(field_name: str, message: str) -> None:
        problems.append(Problem(name, slug_label, field_name, message))

    for key in sorted(set(raw) - QUESTION_KEYS):
        bad(key, "unknown key")
    for key in sorted(REQUIRED_QUESTION_KEYS - set(raw)):
        bad(key, "is required")
    if "slug" in raw and (err := _slug_error(slug)):
        bad("slug", err)
    track = raw.get("track")
    if "track" in raw and track not in TRACKS:
        bad("track", f"must be one of {', '.join(TRACKS)}")
    kind = raw.get("kind")
    if "kind" in raw and kind not in KINDS:
        bad("kind", f"must be one of {', '.join(KINDS)}")
    difficulty = raw.get("difficulty")
    if "difficulty" in raw and difficulty not in DIFFICULTIES:
        bad("difficulty", f"must be one of {', '.join(DIFFICULTIES)}")
    status = raw.get("status", "published")
    if status not in STATUSES:
        bad("status", f"must be one of {', '.join(STATUSES)}")
    minutes = raw.get("time_minutes", DEFAULT_MINUTES.get(kind, 5))
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 60:
        bad("time_minutes", "must be a whole number of minutes from 1 to 60")

    topics = raw.get("topics")
    if "topics" in raw:
        if (
            not isinstance(topics, list)
            or not 1 <= len(topics) <= 3
            or not all(isinstance(t, str) for t in topics)
        ):
            bad("topics", "must be a list of 1 to 3 topic slugs")
            topics = []
        elif len(set(topics)) != len(topics):
            bad("topics", "names a topic twice")

    texts = {}
    for key, limit in (
        ("title", MAX_TITLE),
        ("prompt", MAX_TEXT),
        ("answer", MAX_TEXT),
        ("explanation", MAX_TEXT),
    ):
        if key in raw:
            texts[key], err = _text(raw[key], limit=limit)
            if err:
                bad(key, err)

    rubric = _parse_rubric(raw.get("rubric"), bad) if "rubric" in raw else ()
    choices = _parse_choices(raw.get("choices"), kind, bad)

    if len(problems) > before:
        return None
    return QuestionSpec(
        slug=slug,
        track=track,
        topics=tuple(topics),
        kind=kind,
        difficulty=difficulty,
        title=texts["title"],
        time_minutes=minutes,
        status=status,
        prompt=texts["prompt"],
        answer=texts["answer"],
        explanation=texts["explanation"],
        rubric=rubric,
        choices=choices,
        source=name,
    )


def _parse_rubric(raw, bad) -> tuple[RubricSpec, ...]:
    if not isinstance(raw, list) or not 3 <= len(raw) <= 7:
        bad("rubric", "must be a list of 3 to 7 points")
        return ()
    points = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            bad(f"rubric[{i}]", "must be a mapping with 'text' and 'weight'")
            continue
        for key in sorted(set(item) - {"text", "weight"}):
            bad(f"rubric[{i}].{key}", "unknown key")
        text, err = _text(item.get("text"), limit=MAX_RUBRIC_TEXT)
        if err:
            bad(f"rubric[{i}].text", err)
        weight = item.get("weight", 1)
        if not isinstance(weight, int) or isinstance(weight, bool) or not 1 <= weight <= 3:
            bad(f"rubric[{i}].weight", "must be 1, 2 or 3")
            continue
        points.append(RubricSpec(text=text, weight=weight))
    return tuple(points)


def _parse_choices(raw, kind, bad) -> tuple[ChoiceSpec, ...]:
    if kind not in CHOICE_KINDS:
        if raw:
            bad("choices", f"a {kind} question has no choices")
        return ()
    if not isinstance(raw, list) or not 3 <= len(raw) <= 6:
        bad("choices", "must be a list of 3 to 6 choices")
        return ()
    choices = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            bad(f"choices[{i}]", "must be a mapping with 'text', 'correct' and 'why'")
            continue
        for key in sorted(set(item) - {"text", "correct", "why"}):
            bad(f"choices[{i}].{key}", "unknown key")
        text, err = _text(item.get("text"), limit=MAX_CHOICE_TEXT)
        if err:
            bad(f"choices[{i}].text", err)
        why, err = _text(item.get("why"), limit=MAX_WHY)
        if err:
            bad(f"choices[{i}].why", err)
        correct = item.get("correct")
        if not isinstance(correct, bool):
            bad(f"choices[{i}].correct", "must be true or false")
            continue
        choices.append(ChoiceSpec(text=text, correct=correct, why=why))
    if len({c.text.casefold() for c in choices}) != len(choices):
        bad("choices", "two choices have the same text")
    n_correct = sum(c.correct for c in choices)
    if kind == "single-choice" and n_correct != 1:
        bad("choices", f"a single-choice question needs exactly one correct choice, has {n_correct}")
    if kind == "multi-choice" and not (2 <= n_correct < len(choices)):
        bad("choices", "a multi-choice question needs at least two correct and one wrong choice")
    return tuple(choices)


def _check_across(topics, questions, known_topics, problems) -> None:
    topic_track = dict(known_topics)
    seen_topics: dict[str, str] = {}
    for topic in topics:
        if topic.slug in seen_topics:
            problems.append(
                Problem(
                    "", "", f"topic '{topic.slug}'", f"declared twice (also in {seen_topics[topic.slug]})"
                )
            )
        seen_topics[topic.slug] = topic.track
        topic_track[topic.slug] = topic.track
    seen: dict[str, str] = {}
    for q in questions:
        if q.slug in seen:
            problems.append(Problem(q.source, q.slug, "slug", f"duplicate slug (also in {seen[q.slug]})"))
        seen[q.slug] = q.source
        for topic in q.topics:
            if topic not in topic_track:
                problems.append(Problem(q.source, q.slug, "topics", f"unknown topic '{topic}'"))
            elif topic_track[topic] != q.track:
                problems.append(
                    Problem(q.source, q.slug, "topics", f"topic '{topic}' belongs to {topic_track[topic]}")
                )
    for a, b in near_duplicates(questions):
        problems.append(
            Problem(b.source, b.slug, "prompt", f"near-duplicate of question '{a.slug}' ({a.source})")
        )


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}


def near_duplicates(questions: list[QuestionSpec]) -> list[tuple[QuestionSpec, QuestionSpec]]:
    """Pairs whose prompts share most word 3-grams (Jaccard similarity >= threshold)."""
    shingled = [(q, _shingles(q.prompt)) for q in questions]
    pairs = []
    for (qa, sa), (qb, sb) in combinations(shingled, 2):
        if sa and sb and len(sa & sb) / len(sa | sb) >= NEAR_DUPLICATE_SIMILARITY:
            pairs.append((qa, qb))
    return pairs


class _BlockDumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks so exported banks stay readable and diffable."""


def _str_representer(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _str_representer)


def dump_bank(bank: Bank) -> str:
    """The YAML text of a bank, in the format load_bank reads."""
    data = {
        "format": FORMAT_VERSION,
        "topics": [
            {"slug": t.slug, "track": t.track, "name": t.name, "description": t.description}
            for t in bank.topics
        ],
        "questions": [_question_dict(q) for q in bank.questions],
    }
    return yaml.dump(data, Dumper=_BlockDumper, sort_keys=False, allow_unicode=True, width=100)


def _question_dict(q: QuestionSpec) -> dict:
    data = {
        "slug": q.slug,
        "track": q.track,
        "topics": list(q.topics),
        "kind": q.kind,
        "difficulty": q.difficulty,
        "title": q.title,
        "time_minutes": q.time_minutes,
        "status": q.status,
        "prompt": q.prompt + "\n",
        "answer": q.answer + "\n",
        "explanation": q.explanation + "\n",
        "rubric": [{"text": r.text, "weight": r.weight} for r in q.rubric],
    }
    if q.choices:
        data["choices"] = [{"text": c.text, "correct": c.correct, "why": c.why} for c in q.choices]
    return data


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m questions.bankfile FILE_OR_FOLDER...", file=sys.stderr)
        return 2
    try:
        bank = load_bank(argv)
    except BankError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(bank.topics)} topics, {len(bank.questions)} questions")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
