"""The decision: which rule explains a text, what it means, how sure we are.

Order of evidence (the first that answers wins):

1. A carrier status code from the code list every postal operator shares (UPU EMSEVT codes
   such as ``EMI`` final delivery): exact, confidence 1. A text rule never overrides such a
   code. (A courier's own table comes before this: ``shiptrack.couriers.event_status``.)
2. The rules: every phrase of every language that occurs in the text, outside conditional
   sentences ("If it is not collected, it will be returned." describes no return). A negated
   match (a negation word of the rule's language right before it, in the same clause) takes
   the rule's ``neg=`` meaning; only rules that declare one can be negated. A phrase inside a
   longer matched phrase, or over the same words with fewer elements, is ignored. Then a rule
   of the text's language wins over other languages, then the highest priority, then the
   longest phrase. The chosen match can read two more ways, as declared by its rule: a
   future word before it takes its ``fut=`` meaning ("sera livré" is no delivery yet), a
   sender word after it, in its clause, its ``sender=`` meaning ("livré à l'expéditeur").
3. No rule matched: the token model (``fallback``) guesses from words seen in the training
   corpus and the rule phrases, with rule id ``model.mix:<feature>`` and a confidence of at
   most 0.85.

Confidences are calibrated: they are about how often that kind of answer is right on
training rows the rules and the model were not written from (``bench/estimate.py
--calibration``).
4. Nothing at all: ``statusCode`` null and rule id ``unmatched`` (what
   ``shiptrack statuses unknown`` lists).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from shiptrack.status.classifier.context import (
    conditional_flags,
    negated_before,
    negated_inside,
    phrase_end,
    qualified,
)
from shiptrack.status.classifier.fallback import MODEL_ID, TokenModel
from shiptrack.status.classifier.hints import (
    country_language,
    location_language,
)
from shiptrack.status.classifier.normalise import BOUNDARIES, script_of, tokens
from shiptrack.status.classifier.rules import (
    LANGUAGES,
    Phrase,
    RuleSet,
    load_rules,
)
from shiptrack.status.classifier.upu import UPU_EVENT_CODES
from shiptrack.status.taxonomy import implied_milestone

UNMATCHED: Final = "unmatched"
_NONE: Final[frozenset[str]] = frozenset()
#: Readings of a match besides its own code: negated, announced ("sera livré": a future
#: event), followed by a sender word ("delivered to the sender", "entregue ao remetente").
NEGATED, FUTURE, SENDER = "negated", "future", "sender"
#: How many tokens after a match a sender word may stand (same clause).
FOLLOW_WINDOW: Final = 4

#: Distinct tokens whose phrase candidates are memoised (~200 bytes each) before a reset.
_TOKEN_MEMO: Final = 100_000
#: Distinct (phrase, negation, language) answers kept before a reset.
_ANSWER_MEMO: Final = 50_000
_RANK: Final = {language: rank for rank, language in enumerate(LANGUAGES)}
#: Scripts that name their language outright.
_SCRIPT_LANGUAGE: Final = {"greek": "el", "arabic": "ar", "hangul": "ko", "kana": "ja"}
#: Weight of a prior (courier's country, location) next to one shared word (1): a prior only
#: breaks ties and names the language of a text no vocabulary recognises.
_COURIER_PRIOR: Final = 0.5
_LOCATION_PRIOR: Final = 0.4
#: Calibrated on bench/estimate.py (--calibration): a phrase of two or more words was right
#: 0.88 of the time, one word 0.81; another language's rule 0.1 less.
_PHRASE_CONFIDENCE: Final = 0.9
_WORD_CONFIDENCE: Final = 0.8


def _model_confidence(posterior: float) -> float:
    """The token model's mixed posterior is near its rate of being right (on the estimate:
    0.36 at 0.3–0.4, 0.44 at 0.4–0.5, 0.61 at 0.5–0.6, 0.73 at 0.6–0.7, 0.75–0.81 at
    0.7–0.85, 0.92 above), capped below a phrase of two or more words."""
    return round(min(0.85, posterior), 2)


#: Per token: the phrases starting with it, its script, the languages whose vocabulary has
#: it, and (when phrases of exact words start with it) the next token → those phrases.
_TokenInfo = tuple[tuple[Phrase, ...], str, tuple[str, ...], dict[str, tuple[Phrase, ...]] | None]
_NUMBER: Final[_TokenInfo] = ((), "other", (), None)


def _rank(
    match: tuple[int, int, tuple[bool, int, bool, int], Phrase, bool],
) -> tuple[bool, int, bool, int]:
    return match[2]


def _rule_answer(phrase: Phrase, reading: str, detected: str | None) -> Classification:
    """What a matched phrase answers: its rule's code, or the code its ``reading`` gives
    (``negated``; ``future``: announced; ``sender``: a sender word follows it), the rule id,
    and a confidence calibrated on bench/estimate.py."""
    rule = phrase.rule
    status = {
        "": rule.status_code,
        NEGATED: rule.negated_status,
        FUTURE: rule.future_status,
        SENDER: rule.to_sender,
        **dict(rule.qualified),
    }[reading]
    confidence = _PHRASE_CONFIDENCE if phrase.length >= 2 else _WORD_CONFIDENCE
    if detected is not None and rule.language != detected:
        confidence -= 0.1
    if reading == NEGATED:
        confidence -= 0.05
    return Classification(
        status,
        implied_milestone(status),
        rule.rule_id + (f".{reading}" if reading else ""),
        detected or rule.language,
        round(confidence, 2),
    )


@dataclass(frozen=True, slots=True)
class Classification:
    status_code: str | None
    status_milestone: str
    rule_id: str
    language: str | None
    confidence: float

    def as_data(self) -> dict[str, object]:
        """The classify endpoint's ``data`` object (also what ``statuses classify --json``
        prints)."""
        return {
            "statusCode": self.status_code,
            "statusMilestone": self.status_milestone,
            "ruleId": self.rule_id,
            "language": self.language,
            "confidence": self.confidence,
        }

    @property
    def matched(self) -> bool:
        """Whether anything (a code, a rule or the token model) explained the event."""
        return self.rule_id != UNMATCHED


class Classifier:
    """Classifies raw event texts with a loaded ``RuleSet`` (thread-safe, immutable)."""

    def __init__(self, rule_set: RuleSet | None = None, model: TokenModel | None = None) -> None:
        self.rules = rule_set or load_rules()
        self.model = model if model is not None else TokenModel.load()
        self._prefix_lengths = sorted(self.rules.prefix)
        self._conditional_words = frozenset().union(*self.rules.conditional.values())
        #: (language, qualifier class) → its exact words and its stems (``stem*`` words).
        self._qualifiers: dict[tuple[str, str], tuple[frozenset[str], tuple[str, ...]]] = {
            (language, name): (
                frozenset(w for w in found if not w.endswith("*")),
                tuple(w[:-1] for w in found if w.endswith("*")),
            )
            for language, classes in self.rules.qualifiers.items()
            for name, found in classes.items()
        }
        self._token_info: dict[str, _TokenInfo] = {}
        self._pairs: dict[str, dict[str, tuple[Phrase, ...]]] = {}
        for (first, second), found in self.rules.pairs.items():
            self._pairs.setdefault(first, {})[second] = tuple(found)
        #: (phrase, reading, detected language) → its answer: answers are immutable, and a
        #: few thousand phrases answer every text a rule explains.
        self._answers: dict[tuple[int, str, str | None], Classification] = {}

    def classify(
        self,
        text: str | None,
        *,
        carrier_status_code: str | None = None,
        language: str | None = None,
        courier_country: str | None = None,
        location: str | None = None,
        courier_code: str | None = None,
    ) -> Classification:
        """Classify one event.

        ``carrier_status_code`` decides when it is a UPU event code; ``language`` (one of
        ``LANGUAGES``) overrides detection, else the courier's country (ISO 3166) and the
        ``location`` are priors for it. ``courier_code`` (Ship24's, e.g. ``nl-post``) lets
        that courier's own rules (``courier=``) answer.
        """
        courier = courier_code.strip().lower() if courier_code else None
        words = tokens(text) if text else ()
        memo = self._token_info
        infos = [memo.get(w) or self._info(w) for w in words]
        if language in LANGUAGES:
            detected: str | None = language
        else:
            detected = self.detect_language(words, self._priors(courier_country, location), infos)
        if carrier_status_code:
            code = carrier_status_code.strip().upper()
            status = UPU_EVENT_CODES.get(code, "")
            if status != "":
                return Classification(
                    status, implied_milestone(status), f"upu.{code}", detected, 1.0
                )
        best = self._best(words, detected, infos, courier)
        if best is not None:
            phrase, reading = best
            key = (id(phrase), reading, detected)
            answer = self._answers.get(key)
            if answer is None:
                if len(self._answers) >= _ANSWER_MEMO:
                    self._answers.clear()
                answer = self._answers[key] = _rule_answer(phrase, reading, detected)
            return answer
        guess = self.model.guess(self._asserted(words, detected))
        if guess is None:
            return Classification(None, implied_milestone(None), UNMATCHED, detected, 0.0)
        return Classification(
            guess.status_code,
            implied_milestone(guess.status_code),
            f"{MODEL_ID}:{guess.evidence}",
            detected,
            _model_confidence(guess.posterior),
        )

    def _asserted(self, words: tuple[str, ...], language: str | None) -> tuple[str, ...]:
        """The words the token model may read: those outside the conditional sentences of
        ``language``, as for the rules ("Als je niet thuis bent, gaat je pakket naar een
        PostNL-punt" asserts nothing the model may take for an attempt)."""
        conditional = self.rules.conditional.get(language) if language else None
        if not conditional or conditional.isdisjoint(words):
            return words
        flags = conditional_flags(words, conditional)
        return tuple(w for w, hypothetical in zip(words, flags, strict=True) if not hypothetical)

    def _info(self, word: str) -> _TokenInfo:
        """Per token, memoised: the phrases starting with it, its script, its languages, the
        phrases of exact words it starts by their second token. Numbers (parcel ids, post
        codes) start no phrase and name no language: they share one entry and are not
        memoised (each parcel number is new)."""
        info = self._token_info.get(word)
        if info is None:
            if word.isdigit():
                return _NUMBER
            candidates = list(self.rules.exact.get(word, ()))
            for size in self._prefix_lengths:
                if len(word) < size:
                    break
                candidates.extend(self.rules.prefix[size].get(word[:size], ()))
            languages = tuple(self.rules.vocabulary.get(word, ()))
            info = (tuple(candidates), script_of(word), languages, self._pairs.get(word))
            if len(self._token_info) >= _TOKEN_MEMO:
                self._token_info.clear()
            self._token_info[word] = info
        return info

    def matches(
        self,
        words: tuple[str, ...],
        language: str | None,
        infos: list[_TokenInfo] | None = None,
        courier: str | None = None,
    ) -> list[tuple[int, int, tuple[bool, int, bool, int], Phrase, bool]]:
        """Every phrase occurring in ``words``: (start, end, ranking key, phrase, negated).

        The ranking key is (rule of ``language``, priority, rule of ``courier``, phrase
        length); a rule limited to other couriers (or to any, when ``courier`` is None), or
        excepting ``courier``, does not match. Phrases inside a longer match are still
        listed (``_best`` drops them). ``infos`` are the words' ``_info`` when the caller has
        them already."""
        if infos is None:
            infos = [self._info(w) for w in words]
        matches: list[tuple[int, int, tuple[bool, int, bool, int], Phrase, bool]] = []
        negation = self.rules.negation
        conditional = self.rules.conditional
        # Per language, which tokens stand in a conditional sentence (only computed when the
        # text has a conditional word at all).
        hypothetical: dict[str, list[bool]] | None = (
            None if self._conditional_words.isdisjoint(words) else {}
        )
        present: frozenset[str] | None = None
        last = len(words) - 1
        for start, info in enumerate(infos):
            if info is _NUMBER:  # numbers (parcel ids, post codes) start no phrase
                continue
            candidates = info[0]
            if info[3] is not None and start < last:
                paired = info[3].get(words[start + 1])
                if paired:
                    candidates = candidates + paired
            for phrase in candidates:
                rule = phrase.rule
                if rule.couriers and courier not in rule.couriers:
                    continue
                if rule.except_couriers and courier in rule.except_couriers:
                    continue
                if phrase.tail is not None:
                    end = start + phrase.span
                    if phrase.rest and words[start + 2 : end] != phrase.rest:
                        continue
                else:
                    if present is None:
                        present = frozenset(words)
                    if not phrase.required <= present:
                        continue
                    end = phrase_end(phrase, words, start)
                    if end < 0:
                        continue
                if hypothetical is not None and rule.language in conditional:
                    flags = hypothetical.get(rule.language)
                    if flags is None:
                        flags = conditional_flags(words, conditional[rule.language])
                        hypothetical[rule.language] = flags
                    if flags[start]:
                        continue
                negated = rule.negatable and (
                    negated_before(words, start, negation.get(rule.language, _NONE))
                    or (
                        phrase.gapped
                        and negated_inside(
                            phrase, words, start, end, negation.get(rule.language, _NONE)
                        )
                    )
                )
                key = (rule.language == language, rule.priority, bool(rule.couriers), phrase.length)
                matches.append((start, end, key, phrase, negated))
        return matches

    def _best(
        self,
        words: tuple[str, ...],
        language: str | None,
        infos: list[_TokenInfo],
        courier: str | None = None,
    ) -> tuple[Phrase, str] | None:
        """The phrase that explains the text, and how it reads ("", ``NEGATED``, ``FUTURE``,
        ``SENDER``)."""
        matches = self.matches(words, language, infos, courier)
        if not matches:
            return None
        if len(matches) == 1:
            start, end, _, phrase, negated = matches[0]
            return phrase, self._reading(words, start, end, phrase, negated)
        # The best-ranked match that no longer match contains: a match inside a longer one
        # ("missing" in "missing information") says nothing of its own, and over the same
        # words the phrase with more elements is the more specific one ("delivery not
        # attempted" over "delivery .. attempted"). Ranked best first (ties keep the text's
        # order), the first match standing is usually the first one tried. A courier's own
        # rule is contained only by another of that courier's rules.
        for start, end, key, phrase, negated in sorted(matches, key=_rank, reverse=True):
            size = (end - start, phrase.length)
            own = key[2]
            if not any(
                o[0] <= start
                and end <= o[1]
                and (o[1] - o[0], o[3].length) > size
                and (o[2][2] or not own)
                for o in matches
            ):
                return phrase, self._reading(words, start, end, phrase, negated)
        raise AssertionError("the longest match is contained in no other")

    def _reading(
        self, words: tuple[str, ...], start: int, end: int, phrase: Phrase, negated: bool
    ) -> str:
        """How the chosen match reads: negated, else announced by a future word before it
        (``fut=`` rules: "Il sera livré demain" delivers nothing yet), else followed in its
        clause by a sender word (``sender=`` rules: "Distribué à l'expéditeur" is a return),
        else as itself."""
        if negated:
            return NEGATED
        rule = phrase.rule
        if rule.announceable:
            future = self.rules.future.get(rule.language, _NONE)
            if not future.isdisjoint(words) and negated_before(words, start, future):
                return FUTURE
        if rule.to_sender is not None:
            sender = self.rules.sender.get(rule.language, _NONE)
            if not sender.isdisjoint(words):
                for word in words[end : end + FOLLOW_WINDOW]:
                    if word in BOUNDARIES:
                        break
                    if word in sender:
                        return SENDER
        for name, _ in rule.qualified:
            exact, stems = self._qualifiers.get((rule.language, name), (_NONE, ()))
            if qualified(words, start, end, exact, stems):
                return name
        return ""

    def _priors(self, courier_country: str | None, location: str | None) -> dict[str, float] | None:
        if not location and not courier_country:
            return None
        priors: dict[str, float] = {}
        if location:
            scripts = tuple(self._info(w)[1] for w in tokens(location) if w not in BOUNDARIES)
            found = location_language(location, scripts)
            if found:
                priors[found] = _LOCATION_PRIOR
        found = country_language(courier_country)
        if found:
            priors[found] = priors.get(found, 0.0) + _COURIER_PRIOR
        return priors

    def detect_language(
        self,
        words: tuple[str, ...],
        priors: dict[str, float] | None = None,
        infos: list[_TokenInfo] | None = None,
    ) -> str | None:
        """The language whose rules and word lists share the most tokens with the text,
        ``priors`` (language → weight under one word) breaking ties and naming the language
        of a text no vocabulary recognises."""
        counts: dict[str, float] = dict(priors) if priors else {}
        scripts: set[str] = set()
        for _, script, languages, _ in infos if infos is not None else map(self._info, words):
            scripts.add(script)  # boundaries and numbers are "other"
            for found in languages:
                counts[found] = counts.get(found, 0) + 1
        for script, language in _SCRIPT_LANGUAGE.items():
            if script in scripts:
                return language
        if "han" in scripts:
            # Han characters alone: Japanese when its rules share more of them (発送, 引受:
            # shinjitai and Japanese words), else Chinese.
            return "ja" if counts.get("ja", 0) > counts.get("zh", 0) else "zh"
        if "cyrillic" in scripts:
            return "uk" if counts.get("uk", 0) > counts.get("ru", 0) else "ru"
        if not counts:
            return None
        # Ties go to the earlier language of LANGUAGES (English first: carriers' lingua franca).
        return max(counts, key=lambda language: (counts[language], -_RANK[language]))
