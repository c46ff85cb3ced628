"""Rule files → one token index over every language.

A rule file (``data/<language>.rules``) is plain text a reviewer can read::

    @negation: not no never          # words that negate a phrase right after them
    @sender: sender shipper          # words naming the sender (``sender=`` rules)
    @future: will expected           # words announcing a phrase after them (``fut=`` rules)
    @conditional: if unless          # words opening a conditional sentence (no event in it)
    @words: the of to your           # frequent words that only help detect the language

    [delivered] delivery_delivered    # [name] statusCode (or "-" for informational)
    delivered                         # one phrase per line
    signed for

    [delivered.pickup] delivery_available_for_pickup +5 neg=delivery_attempted
    delivered to .. pickup point

    @pickup: parcelshop locker*      # qualifier words (also @hold:, @done:): see below

A phrase is a sequence of tokens (see ``normalise``): ``word`` matches the token exactly,
``deliver*`` any token starting with ``deliver``, ``..`` skips up to three tokens. ``+N`` is the
rule's priority (the highest priority among matching rules wins, then the longest phrase);
``neg=CODE`` says what a negated match means (``-`` informational); a rule without it cannot be
negated: its match means the same with a negation word before it, so a wording that a negation
turns around is written as a phrase of its own ("not accepted by the recipient" in the refusals;
ignoring such matches instead was tried and was no better on the corpus). ``sender=CODE`` is
what a match means when one of the language's ``@sender:`` words follows it in the same
clause ("delivered to the sender" is a return); ``fut=CODE`` (``-`` informational) when one of
the language's ``@future:`` words stands right before it, as a negation would ("sera livré",
"wird morgen zugestellt": an announcement, no delivery).
``pickup=CODE``, ``hold=CODE``, ``done=CODE``, ``problem=CODE``, ``country=CODE``,
``recipient=CODE`` and ``stage=CODE`` are what a match means when a word of the language's
``@pickup:``, ``@hold:``, ``@done:``, ``@problem:``, ``@country:``, ``@recipient:`` or
``@stage:`` list stands in its clause, a few tokens before or after it ("delivered to the
ParcelShop", "Выпуск приостановлен", "vămuire finalizată"). ``courier=CODE,CODE`` limits a
rule to those Ship24 courier codes: it answers only when the caller names one of them (a
connector knows its courier) and then wins over the general rules of its priority
("[gls.not.delivered] delivery_exception +2 courier=gls-ro": GLS Romania's table calls a
failure for the carrier's reasons an exception where other carriers call it an attempt);
``except=CODE,CODE`` keeps a rule from answering for those couriers, whose own rule reads
the wording otherwise ("not collected" is a return, except at PostNL).
The rule id is ``<language>.<name>``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from typing import Final

from shiptrack.status.classifier.normalise import BOUNDARIES, tokens
from shiptrack.status.taxonomy import STATUS_CODES

LANGUAGES: Final = (
    "en", "fr", "de", "es", "it", "nl", "pt", "pl", "ru", "uk", "zh", "ja",
    "ko", "sv", "fi", "da", "nb", "cs", "tr", "ca", "ro", "hu", "el", "ar",
)  # fmt: skip

#: Word classes that change a match's meaning when one of their words stands in its clause,
#: in the order they are tried: a pickup place ("delivered to the ParcelShop" is ready for
#: pickup, "picked up from the locker" a delivery), a hold ("customs release suspended"),
#: a completion ("customs clearance completed", "vămuire finalizată"), a problem that keeps
#: the parcel out of a pickup place ("does not fit in the parcel locker"), the destination
#: country ("arrived in the country of destination", "aangekomen in Nederland"), the recipient
#: ("on its way to the recipient" is out for delivery), a stage of the carrier's own handling
#: ("missing at sorting" is a shortage looked into, not yet a loss).
QUALIFIERS: Final = ("pickup", "hold", "done", "problem", "country", "recipient", "stage")

#: Tokens a ``..`` may skip.
MAX_GAP: Final = 3
EXACT, PREFIX, GAP = 0, 1, 2


class RuleFileError(ValueError):
    """A rule file breaks the format (raised at import: a broken file never ships)."""


@dataclass(frozen=True, slots=True)
class Rule:
    rule_id: str
    language: str
    status_code: str | None
    priority: int = 0
    #: statusCode of a negated match; ``None`` with ``negatable`` means informational.
    negated_status: str | None = None
    negatable: bool = False
    #: statusCode when a sender word follows the match (``sender=``); ``None``: no such
    #: reading.
    to_sender: str | None = None
    #: statusCode of an announced match (``fut=``; ``None`` with ``announceable``:
    #: informational).
    future_status: str | None = None
    announceable: bool = False
    #: (qualifier class, statusCode) in the order they are tried: what a match means when
    #: a word of that class of the rule's language stands in its clause (``pickup=``,
    #: ``hold=``, ``done=``, ``problem=``, ``country=``,
    #: ``recipient=``, ``stage=``; ``-``: informational).
    qualified: tuple[tuple[str, str | None], ...] = ()
    #: Ship24 courier codes this rule is limited to (``courier=``; empty: every courier). A
    #: courier's rule answers only when the caller names one of them, and then wins over
    #: the language's general rules of the same priority: a carrier's own table gives some
    #: wordings a meaning other carriers do not.
    couriers: frozenset[str] = frozenset()
    #: Ship24 courier codes this rule does not speak for (``except=``): their own tables
    #: give the wording another meaning (a courier rule of theirs says which).
    except_couriers: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Phrase:
    rule: Rule
    elements: tuple[tuple[int, str], ...]
    #: Matched elements (gaps excluded): longer phrases are more specific.
    length: int
    #: The exact tokens after the first, when the phrase has no prefix or gap: matching is
    #: then one tuple comparison instead of a walk.
    tail: tuple[str, ...] | None = None
    #: The exact tokens after the first that a text must contain for a phrase with a gap or
    #: prefix to match (checked before walking it).
    required: frozenset[str] = frozenset()
    #: Tokens a phrase of exact tokens spans, and those after its first two (what is left to
    #: compare once a text's token pair found it).
    span: int = 0
    rest: tuple[str, ...] = ()
    #: Whether the phrase has a ``..`` (a negation word may stand in what it skips).
    gapped: bool = False


@dataclass(slots=True)
class RuleSet:
    """Every language's rules, indexed by the first token (or the first two) of each phrase."""

    exact: dict[str, list[Phrase]] = field(default_factory=lambda: defaultdict(list))
    #: (first token, second token) → the phrases of exact tokens only, two or more long: a
    #: text's token pair finds them with one lookup ("in transit" is not tried on "in der").
    pairs: dict[tuple[str, str], list[Phrase]] = field(default_factory=lambda: defaultdict(list))
    #: prefix length → prefix → phrases whose first element is that prefix.
    prefix: dict[int, dict[str, list[Phrase]]] = field(default_factory=dict)
    #: token → languages whose rules or word lists use it (language detection).
    vocabulary: dict[str, frozenset[str]] = field(default_factory=dict)
    negation: dict[str, frozenset[str]] = field(default_factory=dict)
    #: language → words naming the sender ("sender", "expéditeur", "remetente").
    sender: dict[str, frozenset[str]] = field(default_factory=dict)
    #: language → words announcing a future event ("will", "sera", "wird", "zostanie").
    future: dict[str, frozenset[str]] = field(default_factory=dict)
    #: language → words that open a conditional sentence (its phrases describe no event).
    conditional: dict[str, frozenset[str]] = field(default_factory=dict)
    #: language → qualifier class (``QUALIFIERS``) → its words; a word written ``stem*``
    #: is kept as ``stem*`` and matches every token starting with ``stem``.
    qualifiers: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    #: Every language's ``@words`` of more than one character: function words ("the", "de",
    #: "zending") that say nothing of a status; the token model ignores them (a single Han
    #: character such as 到, "arrive", does carry meaning and stays).
    function_words: set[str] = field(default_factory=set)

    def add(self, phrase: Phrase) -> None:
        kind, value = phrase.elements[0]
        if phrase.tail:
            self.pairs[(value, phrase.tail[0])].append(phrase)
        elif kind == EXACT:
            self.exact[value].append(phrase)
        else:
            self.prefix.setdefault(len(value), defaultdict(list))[value].append(phrase)


def _status(value: str, where: str) -> str | None:
    if value == "-":
        return None
    if value not in STATUS_CODES:
        raise RuleFileError(f"{where}: unknown statusCode {value!r}")
    return value


def _couriers(value: str) -> frozenset[str]:
    """``nl-post,nl-post-int`` → the courier codes, lower-case."""
    return frozenset(code.strip().lower() for code in value.split(",") if code.strip())


def _elements(line: str, where: str) -> tuple[tuple[int, str], ...]:
    elements: list[tuple[int, str]] = []
    for word in line.split():
        if word == "..":
            elements.append((GAP, ""))
            continue
        is_prefix = word.endswith("*")
        parts = [t for t in tokens(word.rstrip("*")) if t not in BOUNDARIES]
        if not parts:
            raise RuleFileError(f"{where}: {word!r} has no token")
        elements.extend((EXACT, part) for part in parts[:-1])
        elements.append((PREFIX if is_prefix else EXACT, parts[-1]))
    if not elements or elements[0][0] == GAP or elements[-1][0] == GAP:
        raise RuleFileError(f"{where}: a phrase cannot start or end with '..'")
    return tuple(elements)


def parse_rules(language: str, text: str, into: RuleSet) -> None:
    """Add one language's rule file to ``into``."""
    rule: Rule | None = None
    words: set[str] = set()
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.split("#", 1)[0].strip()
        where = f"{language}.rules:{number}"
        if not line:
            continue
        if line.startswith("@"):
            key, _, value = line[1:].partition(":")
            found = {t for word in value.split() for t in tokens(word)}
            if key == "negation":
                into.negation[language] = frozenset(found)
            elif key == "sender":
                into.sender[language] = frozenset(found)
            elif key == "future":
                into.future[language] = frozenset(found)
            elif key == "conditional":
                into.conditional[language] = frozenset(found)
            elif key in QUALIFIERS:
                found = {
                    t + ("*" if word.endswith("*") else "")
                    for word in value.split()
                    for t in tokens(word.rstrip("*"))[-1:]
                }
                into.qualifiers.setdefault(language, {})[key] = frozenset(found)
            elif key == "words":
                words |= found
                into.function_words.update(word for word in found if len(word) > 1)
            else:
                raise RuleFileError(f"{where}: unknown directive @{key}")
            continue
        if line.startswith("["):
            name, _, rest = line[1:].partition("]")
            fields = rest.split()
            if not fields:
                raise RuleFileError(f"{where}: rule {name!r} has no statusCode")
            options = dict(f.split("=", 1) for f in fields[1:] if "=" in f)
            priority = sum(int(f) for f in fields[1:] if f[0] in "+-" and f[1:].isdigit())
            rule = Rule(
                rule_id=f"{language}.{name}",
                language=language,
                status_code=_status(fields[0], where),
                priority=priority,
                negated_status=_status(options["neg"], where) if "neg" in options else None,
                negatable="neg" in options,
                to_sender=_status(options["sender"], where) if "sender" in options else None,
                future_status=_status(options["fut"], where) if "fut" in options else None,
                announceable="fut" in options,
                qualified=tuple(
                    (key, _status(options[key], where)) for key in QUALIFIERS if key in options
                ),
                couriers=_couriers(options.get("courier", "")),
                except_couriers=_couriers(options.get("except", "")),
            )
            if rule.rule_id in into.rules:
                raise RuleFileError(f"{where}: rule {rule.rule_id} defined twice")
            into.rules[rule.rule_id] = rule
            continue
        if rule is None:
            raise RuleFileError(f"{where}: a phrase before any [rule]")
        elements = _elements(line, where)
        simple = all(kind == EXACT for kind, _ in elements)
        tail = tuple(value for _, value in elements[1:]) if simple else None
        required = frozenset(value for kind, value in elements[1:] if kind == EXACT)
        length = sum(1 for kind, _ in elements if kind != GAP)
        span = len(elements) if tail is not None else 0
        rest = tail[1:] if tail else ()
        gapped = any(kind == GAP for kind, _ in elements)
        into.add(Phrase(rule, elements, length, tail, required, span, rest, gapped))
        words.update(value for kind, value in elements if kind == EXACT)
    for word in words:
        into.vocabulary[word] = into.vocabulary.get(word, frozenset()) | {language}


def load_rules() -> RuleSet:
    """The rule set shipped in the package (every language in ``LANGUAGES``)."""
    rule_set = RuleSet()
    data = resources.files("shiptrack.status.classifier") / "data"
    for language in LANGUAGES:
        parse_rules(language, (data / f"{language}.rules").read_text("utf-8"), rule_set)
    rule_set.exact = dict(rule_set.exact)
    rule_set.pairs = dict(rule_set.pairs)
    return rule_set
