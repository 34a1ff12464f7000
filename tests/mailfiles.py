"""Reading the mail a worker process wrote with Django's file-based backend."""

import email
from collections import Counter
from pathlib import Path


def recipients(folder: Path) -> Counter:
    """How many messages each address received."""
    counts: Counter = Counter()
    for path in folder.glob("*.log"):
        text = path.read_text()
        # The file backend separates messages with a line of 79 dashes.
        for chunk in text.split("-" * 79):
            if chunk.strip():
                message = email.message_from_string(chunk.strip())
                counts[message["To"]] += 1
    return counts
