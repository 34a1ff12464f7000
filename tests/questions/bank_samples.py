"""Small bank files for importer tests (the shipped banks are tested separately)."""

import textwrap

VALID = textwrap.dedent(
    """\
    format: 1
    topics:
      - slug: sample-topic
        track: ai-engineer
        name: Sample topic
    questions:
      - slug: sample-choice
        track: ai-engineer
        topics: [sample-topic]
        kind: single-choice
        difficulty: easy
        title: Which index to rebuild
        prompt: |
          Your support bot cites a refund policy that changed yesterday. Which fix comes first?
        answer: Re-index the changed document.
        explanation: The index is stale.
        rubric:
          - text: Names the stale index
            weight: 3
          - text: Re-indexes only what changed
          - text: Adds a freshness check
        choices:
          - text: Re-index the changed document
            correct: true
            why: The stale copy is the cause.
          - text: Raise the temperature
            correct: false
            why: Sampling does not change retrieved text.
          - text: Fine-tune the model on the new policy
            correct: false
            why: Slow and the next change breaks it again.
      - slug: sample-free
        track: ai-engineer
        topics: [sample-topic]
        kind: free-text
        difficulty: hard
        title: Measuring retrieval freshness
        prompt: |
          How would you measure how stale a nightly-rebuilt vector index is for a wiki with many edits a day?
        answer: |
          Compare the **source's** last-modified time with the indexed version per document.
        explanation: Staleness is a per-document lag, not a global age.
        rubric:
          - text: Per-document lag between source and index
          - text: Alert on the tail, not the mean
          - text: Uses change events rather than a nightly rebuild
    """
)


def invalid_question(slug: str = "sample-broken") -> str:
    """A question with no rubric and a multi-choice with one correct option."""
    return textwrap.indent(
        textwrap.dedent(
            f"""\
          - slug: {slug}
            track: ai-engineer
            topics: [sample-topic]
            kind: multi-choice
            difficulty: medium
            title: Broken
            prompt: Pick all the ways a cached answer can leak another tenant's data?
            answer: Only one.
            explanation: Because.
            choices:
              - {{text: A, correct: true, why: "yes"}}
              - {{text: B, correct: false, why: "no"}}
              - {{text: C, correct: false, why: "no"}}
            """
        ),
        "  ",
    )


MIXED = VALID + invalid_question()
