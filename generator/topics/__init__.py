"""Topics: the taxonomy, scoring papers against it, keeping published topics stable, and the tools around it.

``taxonomy`` reads ``topics.yml``; ``features`` turns titles and abstracts into vectors; ``keywords``
finds the taxonomy's keywords; ``scoring`` gives every paper its topics; ``pins`` keeps topics pinned by
``digest topics reassign``; ``related`` finds related papers; ``commands`` is what ``digest topics`` prints.
"""

from generator.topics.keywords import Keyword, KeywordIndex, make_keyword
from generator.topics.scoring import assign_topics
from generator.topics.taxonomy import (
    OTHER,
    OTHER_SLUG,
    Topic,
    load_taxonomy,
    other_topic,
    score_topic,
    taxonomy_fingerprint,
)

__all__ = [
    "OTHER",
    "OTHER_SLUG",
    "Keyword",
    "KeywordIndex",
    "Topic",
    "assign_topics",
    "load_taxonomy",
    "make_keyword",
    "other_topic",
    "score_topic",
    "taxonomy_fingerprint",
]
