"""Full-text search in Japanese and English on SQLite and PostgreSQL, across the languages.

Japanese has no spaces, so words are not tokens. Each item keeps `search_grams`: its text
cut into CJK bigrams (each run also ends with its last character alone) and lowercased
Latin words. SQLite indexes that column with FTS5 (`unicode61`), PostgreSQL with a GIN index
over a stored `to_tsvector('simple', search_grams)` column (migration 0003). A query is cut
the same way; each CJK run becomes a phrase of its consecutive bigrams, so 弾道ミサイル
matches only where those characters stand together, and a single character matches as a
prefix.

Across the languages: the bilingual glossary (`GlossaryTerm`) says which domain terms mean
the same thing. Where the query names a glossary term, that part of the query becomes "what
was written, or any translation of it", each translation a phrase (地震 | earthquake,
"ballistic missile" | 弾道ミサイル), so a query in one language finds records written only in
the other. The query is a small tree (every concept must match; a concept is one of its
alternatives), written out as one FTS5 or tsquery expression, so ranking and the access
filter stay in the same SQL statement.

The access filter is part of the same SQL query (`policy.restrict`), so ranking, counting
and paging see only what the reader may see; snippets are cut from the visible item's own
text after the query, so they can never show hidden text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import DatabaseError, connection
from django.db.models import FloatField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kizuna.core.health import Check

if TYPE_CHECKING:
    from .models import SharedItem

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 24
# The glossary may give a term several translations; past this many phrases in all, a
# query costs the index more than any person's search needs.
MAX_EXPANDED_TERMS = 48

# Han, Hiragana, Katakana (with the prolonged sound mark), and half-width Katakana.
_CJK = r"\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
# What may stand between two words of a phrase in the text: anything that is not a token.
_GAP = rf"[^{_CJK}a-z0-9]+"
_WORD_START, _WORD_END = "(?<![a-z0-9])", "(?![a-z0-9])"


def _normalize(text: str) -> str:
    # NFKC folds full-width Latin and digits (ＳＭ－３) and half-width Katakana.
    return unicodedata.normalize("NFKC", text).lower()


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(_normalize(text))


def searchable(text: str) -> bool:
    """Whether a text holds anything the index can find (letters, digits, CJK)."""
    return bool(_tokens(text))


def _is_cjk(token: str) -> bool:
    return bool(_IS_CJK.match(token))


def _bigrams(run: str) -> list[str]:
    return [run[i : i + 2] for i in range(len(run) - 1)]


def grams(text: str) -> str:
    """The indexable form of a text: CJK bigrams plus each run's last character, and words."""
    out: list[str] = []
    for token in _tokens(text):
        if _is_cjk(token):
            out.extend(_bigrams(token))
            out.append(token[-1])
        else:
            out.append(token)
    return " ".join(out)


def item_grams(item: SharedItem) -> str:
    return grams(item_text(item))


def item_text(item: SharedItem) -> str:
    """Every text of an item the index holds, both languages."""
    return " ".join([item.title_ja, item.title_en, item.body_ja, item.body_en, item.observation])


@dataclass(frozen=True)
class Term:
    """A phrase: consecutive grams (CJK bigrams, or Latin words), or a prefix (a lone CJK
    character)."""

    grams: tuple[str, ...]
    prefix: bool = False

    @property
    def cjk(self) -> bool:
        return _is_cjk(self.grams[0])

    @property
    def text(self) -> str:
        """The text the term stands for: bigrams overlap by one character, words are apart."""
        if not self.cjk:
            return " ".join(self.grams)
        return self.grams[0] + "".join(gram[1:] for gram in self.grams[1:])

    def pattern(self) -> str:
        """A regular expression finding the term in normalized text."""
        if self.cjk:
            return re.escape(self.text)
        # Whole words, as the index holds them: "fuel" is not found in "refuel".
        return _WORD_START + _GAP.join(re.escape(word) for word in self.grams) + _WORD_END


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class OneOf:
    parts: tuple[Node, ...]


Node: TypeAlias = Term | AllOf | OneOf


def _all_of(parts: Iterable[Node]) -> Node:
    unique = tuple(dict.fromkeys(parts))
    return unique[0] if len(unique) == 1 else AllOf(unique)


def _one_of(parts: Iterable[Node]) -> Node:
    flat: list[Node] = []
    for part in parts:
        flat.extend(part.parts if isinstance(part, OneOf) else (part,))
    unique = tuple(dict.fromkeys(flat))
    return unique[0] if len(unique) == 1 else OneOf(unique)


def terms_of(node: Node) -> Iterator[Term]:
    if isinstance(node, Term):
        yield node
    else:
        for part in node.parts:
            yield from terms_of(part)


def _term_of_token(token: str) -> Term:
    if _is_cjk(token):
        return Term((token,), prefix=True) if len(token) == 1 else Term(tuple(_bigrams(token)))
    return Term((token,))


def _phrase_of(text: str) -> Node | None:
    """A glossary term as searched for: each CJK run a phrase, consecutive Latin words one
    phrase ("ballistic missile" only where the two stand together), all of them required."""
    parts: list[Term] = []
    words: list[str] = []
    for token in _tokens(text):
        if _is_cjk(token):
            if words:
                parts.append(Term(tuple(words)))
                words = []
            parts.append(_term_of_token(token))
        else:
            words.append(token)
    if words:
        parts.append(Term(tuple(words)))
    return _all_of(parts) if parts else None


@dataclass(frozen=True)
class Expansion:
    """A glossary term the query named (`said`, as the glossary writes it) and one of its
    translations (`means`), searched for as `node`."""

    said: str
    means: str
    node: Node


@dataclass(frozen=True)
class Query:
    """A parsed search: `root` must match. `own` are the terms as the reader wrote them,
    `expansions` what the glossary added."""

    text: str
    root: Node | None
    own: tuple[Term, ...] = ()
    expansions: tuple[Expansion, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.root is not None

    def terms(self) -> list[Term]:
        return list(dict.fromkeys(terms_of(self.root))) if self.root is not None else []

    def matched_expansions(self, text: str) -> list[Expansion]:
        """The glossary's translations found in `text` (an item's own text)."""
        normalized = _normalize(text)
        return [e for e in self.expansions if _found(e.node, normalized)]


def _found(node: Node, normalized: str) -> bool:
    if isinstance(node, Term):
        return re.search(node.pattern(), normalized) is not None
    if isinstance(node, AllOf):
        return all(_found(part, normalized) for part in node.parts)
    return any(_found(part, normalized) for part in node.parts)


@dataclass(frozen=True)
class _Side:
    """One side of a glossary row as the query may name it."""

    tokens: tuple[str, ...]
    said: str
    means: str


def _sides(glossary: Iterable[tuple[str, str]]) -> list[_Side]:
    sides = []
    for ja, en in glossary:
        for said, means in ((ja, en), (en, ja)):
            tokens = tuple(_tokens(said))
            if tokens and _phrase_of(means) is not None:
                sides.append(_Side(tokens, said, means))
    return sides


def _same_word(written: str, term: str) -> bool:
    """A Latin word of the query names a glossary word, plurals included (missiles)."""
    return written == term or written in (term + "s", term + "es")


def _span_at(tokens: list[str], start: int, sides: list[_Side]) -> tuple[int, list[_Side]]:
    """The longest glossary term made of whole tokens starting at `start` (a CJK term of
    one token is looked for inside runs instead): its length and every row naming it."""
    best, found = 0, list[_Side]()
    for side in sides:
        size = len(side.tokens)
        if size < best or (size == 1 and _is_cjk(side.tokens[0])):
            continue
        written = tokens[start : start + size]
        if len(written) == size and all(
            w == t if _is_cjk(t) else _same_word(w, t)
            for w, t in zip(written, side.tokens, strict=True)
        ):
            if size > best:
                best, found = size, []
            found.append(side)
    return best, found


def _inside_run(run: str, sides: list[_Side]) -> list[list[_Side]]:
    """Glossary terms inside a CJK run, leftmost and longest first, not overlapping."""
    single = [s for s in sides if len(s.tokens) == 1 and _is_cjk(s.tokens[0])]
    found: list[list[_Side]] = []
    position = 0
    while position < len(run):
        here = [s for s in single if run.startswith(s.tokens[0], position)]
        if not here:
            position += 1
            continue
        longest = max(len(s.tokens[0]) for s in here)
        found.append([s for s in here if len(s.tokens[0]) == longest])
        position += longest
    return found


def _translations(named: list[_Side], expansions: list[Expansion]) -> list[Node]:
    nodes = []
    for side in named:
        node = _phrase_of(side.means)
        if node is not None:
            nodes.append(node)
            expansions.append(Expansion(side.said, side.means, node))
    return nodes


def parse(query: str, glossary: Iterable[tuple[str, str]] = ()) -> Query:
    """The query as a tree: every concept must match; where the query names a term of the
    glossary (pairs of Japanese and English), that concept also matches its translations.
    Refuses pathological sizes clearly, in the reader's language."""
    if len(query) > MAX_QUERY_CHARS:
        raise ValidationError(
            {
                "q": _("The search is too long: at most %(limit)d characters.")
                % {"limit": MAX_QUERY_CHARS}
            }
        )
    tokens = _tokens(query)
    own = tuple(dict.fromkeys(_term_of_token(token) for token in tokens))
    if len(own) > MAX_QUERY_TERMS:
        raise ValidationError(
            {
                "q": _("The search has too many words: at most %(limit)d.")
                % {"limit": MAX_QUERY_TERMS}
            }
        )
    if not tokens:
        return Query(query, None)
    sides = _sides(glossary)
    concepts: list[Node] = []
    expansions: list[Expansion] = []
    start = 0
    while start < len(tokens):
        size, named = _span_at(tokens, start, sides)
        if named:
            written = _all_of(_term_of_token(t) for t in tokens[start : start + size])
            concepts.append(_one_of([written, *_translations(named, expansions)]))
            start += size
            continue
        token = tokens[start]
        written = _term_of_token(token)
        inside = _inside_run(token, sides) if _is_cjk(token) else []
        if inside:
            # What was written, or the translations of every glossary term within it.
            translated = _all_of(_one_of(_translations(n, expansions)) for n in inside)
            concepts.append(_one_of([written, translated]))
        else:
            concepts.append(written)
        start += 1
    root = _all_of(concepts)
    if len(list(terms_of(root))) > MAX_EXPANDED_TERMS:
        raise ValidationError(
            {
                "q": _(
                    "With the glossary's translations the search has too many words: "
                    "at most %(limit)d. Search for fewer terms."
                )
                % {"limit": MAX_EXPANDED_TERMS}
            }
        )
    return Query(query, root, own, tuple(dict.fromkeys(expansions)))


def _fts5_query(node: Node) -> str:
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.grams) + '"'
        return phrase + " *" if node.prefix else phrase
    joiner = " AND " if isinstance(node, AllOf) else " OR "
    return "(" + joiner.join(_fts5_query(part) for part in node.parts) + ")"


def _tsquery(node: Node) -> str:
    if isinstance(node, Term):
        quoted = [f"'{gram}'" for gram in node.grams]
        return quoted[0] + ":*" if node.prefix else "(" + " <-> ".join(quoted) + ")"
    joiner = " & " if isinstance(node, AllOf) else " | "
    return "(" + joiner.join(_tsquery(part) for part in node.parts) + ")"


# Fixed SQL; the query itself always travels as a parameter.
_PG_VECTOR = "sharing_shareditem.search_vector"  # generated column, migrations 0003 and 0008
_PG_MATCH = _PG_VECTOR + " @@ to_tsquery('simple'::regconfig, %s)"
# The same, with the reader's markings as lexemes of the vector (migration 0008).
_PG_MATCH_MARKED = _PG_VECTOR + " @@ (to_tsquery('simple'::regconfig, %s) && %s::tsquery)"
_PG_RANK = "ts_rank(" + _PG_VECTOR + ", to_tsquery('simple'::regconfig, %s))"
_SQLITE_JOIN = "sharing_item_fts.rowid = sharing_shareditem.id"
_SQLITE_MATCH = "sharing_item_fts MATCH %s"
_SQLITE_RANK = "-bm25(sharing_item_fts)"
_SQLITE_MATCHING = (
    "sharing_shareditem.id IN (SELECT rowid FROM sharing_item_fts WHERE sharing_item_fts MATCH %s)"
)
# Past this many markings a reader may see, the tsquery of their lexemes would cost more
# than it saves; the marking filter alone then does the work.
MAX_MARKING_LEXEMES = 200

Markings: TypeAlias = Collection[int] | None


def _engine_query(query: Query) -> str:
    assert query.root is not None, "an empty query selects by filters alone"
    if connection.vendor == "postgresql":
        return _tsquery(query.root)
    return _fts5_query(query.root)


def matching(
    queryset: QuerySet[SharedItem], query: Query, markings: Markings = None
) -> QuerySet[SharedItem]:
    """`queryset` narrowed to items matching the query (unordered, for counting).

    `markings` are the ids of the markings the reader may see (the queryset already keeps
    to them): on PostgreSQL the index then skips every other row itself. On SQLite the
    match runs once as an IN list: joined instead, the planner may drive the join from the
    items and rerun the full-text query for each of them."""
    if connection.vendor != "postgresql":
        return queryset.extra(where=[_SQLITE_MATCHING], params=[_engine_query(query)])  # noqa: S610
    if markings is not None and not markings:
        return queryset.none()
    if markings is None or len(markings) > MAX_MARKING_LEXEMES:
        return queryset.extra(where=[_PG_MATCH], params=[_engine_query(query)])  # noqa: S610
    lexemes = " | ".join(f"'~{int(pk)}'" for pk in sorted(markings))
    return queryset.extra(  # noqa: S610
        where=[_PG_MATCH_MARKED], params=[_engine_query(query), lexemes]
    )


def ranked(
    queryset: QuerySet[SharedItem], query: Query, markings: Markings = None
) -> QuerySet[SharedItem]:
    """Items matching the query, best first (see `matching` for `markings`). On SQLite the
    FTS table is joined, so bm25() ranks within the one MATCH."""
    if connection.vendor == "postgresql":
        rank = RawSQL(_PG_RANK, [_engine_query(query)], output_field=FloatField())  # noqa: S611
        found = matching(queryset, query, markings)
    else:
        rank = RawSQL(_SQLITE_RANK, [], output_field=FloatField())  # noqa: S611
        found = queryset.extra(  # noqa: S610
            tables=["sharing_item_fts"],
            where=[_SQLITE_JOIN, _SQLITE_MATCH],
            params=[_engine_query(query)],
        )
    return found.annotate(rank=rank).order_by("-rank", "-created_at", "-id")


# One page of a PostgreSQL search with the count of all matches: the inner statement (the
# ranked matches, filtered and access-checked as Django compiled it) computes each rank in
# the scan; the window then counts narrow rows. Without the fence (OFFSET 0) PostgreSQL
# merges the two and carries every match's vector through the window, spilling to disk.
_PG_PAGE = (
    'SELECT "id", count(*) OVER () FROM ({matches} OFFSET 0) AS matches'
    ' ORDER BY "rank" DESC, "created_at" DESC, "id" DESC LIMIT %s OFFSET %s'
)


def ranked_page(
    queryset: QuerySet[SharedItem], query: Query, start: int, stop: int, markings: Markings = None
) -> tuple[list[int], int]:
    """The ids of matches `start` to `stop`, best first, and how many match in all.
    PostgreSQL ranks and counts in one pass: ranking reads every match anyway, so the count
    is a window over them rather than a second query reading the same rows again. SQLite
    cannot call bm25() beside a window function; its count is a second, cheap FTS query."""
    best = ranked(queryset, query, markings)
    if connection.vendor != "postgresql":
        ids = list(best.values_list("pk", flat=True)[start:stop])
        return ids, matching(queryset, query).count()
    matches = best.order_by().values_list("id", "rank", "created_at")  # type: ignore[misc]
    try:
        sql, params = matches.query.sql_with_params()
    except EmptyResultSet:  # the reader may see no marking at all: nothing to rank
        return [], 0
    with connection.cursor() as cursor:
        cursor.execute(_PG_PAGE.format(matches=sql), [*params, stop - start, start])
        found = cursor.fetchall()
    if found:
        return [pk for pk, _total in found], found[0][1]
    return [], matching(queryset, query, markings).count()  # past the last page


SNIPPET_CHARS = 160


def highlight(text: str, terms: list[Term]) -> SafeString:
    """A snippet of `text` around the first match with every match marked; escaped."""
    if not text:
        return mark_safe("")
    normalized = _normalize(text)
    if len(normalized) != len(text):
        normalized = text.lower()
    if not terms:
        return mark_safe(escape(text[:SNIPPET_CHARS]))  # noqa: S308 - escaped
    # Longest first, so 弾道ミサイル is marked whole rather than as ミサイル.
    patterns = sorted({term.pattern() for term in terms}, key=len, reverse=True)
    pattern = re.compile("|".join(patterns))
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


_FTS_TRIGGERS = {"sharing_item_fts_insert", "sharing_item_fts_delete", "sharing_item_fts_update"}


def _index_faults() -> list[str]:
    """What is wrong with the search index (migration 0003): gone, or out of step with the
    items."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT is_generated FROM information_schema.columns "
                "WHERE table_name = 'sharing_shareditem' AND column_name = 'search_vector'"
            )
            faults = [] if cursor.fetchall() == [("ALWAYS",)] else ["no generated search_vector"]
            cursor.execute(
                "SELECT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "WHERE c.relname = 'sharing_item_search_gin'"
            )
            if cursor.fetchall() != [(True,)]:
                faults.append("no valid GIN index sharing_item_search_gin")
            return faults
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'sharing_item_fts%'")
        present = {row[0] for row in cursor.fetchall()}
        faults = [f"no {name}" for name in sorted(({"sharing_item_fts"} | _FTS_TRIGGERS) - present)]
        if "sharing_item_fts" in present:
            try:  # FTS5 compares the index with the items' own text
                cursor.execute(
                    "INSERT INTO sharing_item_fts(sharing_item_fts) VALUES ('integrity-check')"
                )
            except DatabaseError:
                faults.append("the index does not match the items (FTS5 'rebuild' repairs it)")
        return faults


def index_checks() -> list[Check]:
    """The search index after a restore (core.backups)."""
    from .models import SharedItem  # models import this module for the grams

    faults = _index_faults()
    detail = "; ".join(faults) if faults else f"whole ({SharedItem.objects.count()} items)"
    return [Check("search index", not faults, detail)]
