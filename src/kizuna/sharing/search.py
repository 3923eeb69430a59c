"""Full-text search in Japanese and English on SQLite and PostgreSQL.

Japanese has no spaces, so words are not tokens. Each item keeps `search_grams`: its text
cut into CJK bigrams (each run also ends with its last character alone) and lowercased
Latin words. SQLite indexes that column with FTS5 (`unicode61`), PostgreSQL with a GIN index
over a stored `to_tsvector('simple', search_grams)` column (migration 0003). A query is cut
the same way; each CJK run becomes a phrase of its consecutive bigrams, so 弾道ミサイル
matches only where those characters stand together, and a single character matches as a
prefix.

The access filter is part of the same SQL query (`policy.restrict`), so ranking, counting
and paging see only what the reader may see; snippets are cut from the visible item's own
text after the query, so they can never show hidden text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .models import SharedItem

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 24

# Han, Hiragana, Katakana (with the prolonged sound mark), and half-width Katakana.
_CJK = r"\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")


def _normalize(text: str) -> str:
    # NFKC folds full-width Latin and digits (ＳＭ－３) and half-width Katakana.
    return unicodedata.normalize("NFKC", text).lower()


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def grams(text: str) -> str:
    """The indexable form of a text: CJK bigrams plus each run's last character, and words."""
    out: list[str] = []
    for token in _TOKEN.findall(_normalize(text)):
        if _IS_CJK.match(token):
            out.extend(_bigrams(token))
            out.append(token[-1])
        else:
            out.append(token)
    return " ".join(out)


def item_grams(item: SharedItem) -> str:
    return grams(
        " ".join([item.title_ja, item.title_en, item.body_ja, item.body_en, item.observation])
    )


@dataclass(frozen=True)
class Term:
    """One query term: a phrase of consecutive grams, or a prefix (a lone CJK character)."""

    grams: tuple[str, ...]
    prefix: bool = False


def parse(query: str) -> list[Term]:
    """The query as terms, all of which must match; refuses pathological sizes clearly."""
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationError(
            {
                "q": _("The search is too long: at most %(limit)d characters.")
                % {"limit": MAX_QUERY_CHARS}
            }
        )
    terms: list[Term] = []
    for token in _TOKEN.findall(_normalize(query)):
        if _IS_CJK.match(token) and len(token) == 1:
            terms.append(Term((token,), prefix=True))
        elif _IS_CJK.match(token):
            terms.append(Term(tuple(_bigrams(token))))
        else:
            terms.append(Term((token,)))
    if len(terms) > MAX_QUERY_TERMS:
        raise ValidationError(
            {
                "q": _("The search has too many words: at most %(limit)d.")
                % {"limit": MAX_QUERY_TERMS}
            }
        )
    return list(dict.fromkeys(terms))


def _fts5_query(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        phrase = '"' + " ".join(term.grams) + '"'
        parts.append(phrase + " *" if term.prefix else phrase)
    return " AND ".join(parts)


def _tsquery(terms: list[Term]) -> str:
    parts = []
    for term in terms:
        quoted = [f"'{gram}'" for gram in term.grams]
        parts.append(quoted[0] + ":*" if term.prefix else "(" + " <-> ".join(quoted) + ")")
    return " & ".join(parts)


# Fixed SQL; the query itself always travels as a parameter.
_PG_VECTOR = "sharing_shareditem.search_vector"  # generated column, migration 0003
_PG_MATCH = _PG_VECTOR + " @@ to_tsquery('simple'::regconfig, %s)"
_PG_RANK = "ts_rank(" + _PG_VECTOR + ", to_tsquery('simple'::regconfig, %s))"
_SQLITE_JOIN = "sharing_item_fts.rowid = sharing_shareditem.id"
_SQLITE_MATCH = "sharing_item_fts MATCH %s"
_SQLITE_RANK = "-bm25(sharing_item_fts)"
_SQLITE_MATCHING = (
    "sharing_shareditem.id IN (SELECT rowid FROM sharing_item_fts WHERE sharing_item_fts MATCH %s)"
)


def _query(terms: list[Term]) -> str:
    return _tsquery(terms) if connection.vendor == "postgresql" else _fts5_query(terms)


def matching(queryset: QuerySet[SharedItem], terms: list[Term]) -> QuerySet[SharedItem]:
    """`queryset` narrowed to items matching every term (unordered, for counting). On
    SQLite the match runs once as an IN list: joined instead, the planner may drive the join
    from the items and rerun the full-text query for each of them."""
    where = _PG_MATCH if connection.vendor == "postgresql" else _SQLITE_MATCHING
    return queryset.extra(where=[where], params=[_query(terms)])  # noqa: S610


def ranked(queryset: QuerySet[SharedItem], terms: list[Term]) -> QuerySet[SharedItem]:
    """Items matching every term, best first. On SQLite the FTS table is joined, so bm25()
    ranks within the one MATCH."""
    if connection.vendor == "postgresql":
        rank = RawSQL(_PG_RANK, [_query(terms)], output_field=FloatField())  # noqa: S611
        found = matching(queryset, terms)
    else:
        rank = RawSQL(_SQLITE_RANK, [], output_field=FloatField())  # noqa: S611
        found = queryset.extra(  # noqa: S610
            tables=["sharing_item_fts"],
            where=[_SQLITE_JOIN, _SQLITE_MATCH],
            params=[_query(terms)],
        )
    return found.annotate(rank=rank).order_by("-rank", "-created_at", "-id")


SNIPPET_CHARS = 160


def highlight(text: str, terms: list[Term]) -> SafeString:
    """A snippet of `text` around the first match with every match marked; escaped."""
    needles = sorted({_needle(term) for term in terms if _needle(term)}, key=len, reverse=True)
    if not text:
        return mark_safe("")
    normalized = _normalize(text)
    if len(normalized) != len(text):
        normalized = text.lower()
    if not needles:
        return mark_safe(escape(text[:SNIPPET_CHARS]))  # noqa: S308 - escaped
    pattern = re.compile("|".join(re.escape(n) for n in needles))
    first = pattern.search(normalized)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARS // 3)
    end = min(len(text), start + SNIPPET_CHARS)
    pieces: list[str] = []
    cursor = start
    for found in pattern.finditer(normalized, start, end):
        pieces.append(escape(text[cursor : found.start()]))
        pieces.append("<mark>" + escape(text[found.start() : found.end()]) + "</mark>")
        cursor = found.end()
    pieces.append(escape(text[cursor:end]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece escaped


def _needle(term: Term) -> str:
    """The text a term stands for: its grams joined back (bigrams overlap by one)."""
    if len(term.grams) == 1:
        return term.grams[0]
    return term.grams[0] + "".join(gram[1:] for gram in term.grams[1:])
