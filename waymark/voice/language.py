"""Which language a piece of feedback is written in, found offline with langdetect, and whether
anyone on staff can read it.

langdetect answers in ISO 639-1 (two letters, plus zh-cn/zh-tw); core's Language table holds
ISO 639-3, so the detector's answers are mapped here. Detection of short texts is uncertain, which
is why the confidence is stored and a low one sends the item to the "needs interpreting" queue.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from langdetect import DetectorFactory, LangDetectException, detect_langs

from waymark.core.models import Language
from waymark.voice.models import FeedbackItem, StaffLanguage

# Below this the detector's answer is only a guess and a person should check it.
CONFIDENCE_THRESHOLD = 0.85
# Fewer words than this and the detector is guessing ("ok" comes back as Slovak, certain).
MIN_WORDS_FOR_CONFIDENCE = 4
SHORT_TEXT_CONFIDENCE_CAP = 0.5
# Staff work in English, so English needs no listed reader.
WORKING_LANGUAGE_CODE = "eng"

# langdetect's 55 languages, ISO 639-1 → ISO 639-3.
DETECTOR_TO_ISO639_3 = {
    "af": "afr", "ar": "ara", "bg": "bul", "bn": "ben", "ca": "cat", "cs": "ces", "cy": "cym", "da": "dan",
    "de": "deu", "el": "ell", "en": "eng", "es": "spa", "et": "est", "fa": "fas", "fi": "fin", "fr": "fra",
    "gu": "guj", "he": "heb", "hi": "hin", "hr": "hrv", "hu": "hun", "id": "ind", "it": "ita", "ja": "jpn",
    "kn": "kan", "ko": "kor", "lt": "lit", "lv": "lav", "mk": "mkd", "ml": "mal", "mr": "mar", "ne": "npi",
    "nl": "nld", "no": "nor", "pa": "pan", "pl": "pol", "pt": "por", "ro": "ron", "ru": "rus", "sk": "slk",
    "sl": "slv", "so": "som", "sq": "sqi", "sv": "swe", "sw": "swa", "ta": "tam", "te": "tel", "th": "tha",
    "tl": "tgl", "tr": "tur", "uk": "ukr", "ur": "urd", "vi": "vie", "zh-cn": "cmn", "zh-tw": "",
}  # fmt: skip
# Traditional characters are written for Cantonese and Mandarin alike, so zh-tw is left for a person to say.

# ISO 639-3 → the shorter code BCP 47 (and so the HTML lang attribute) asks for, where one exists.
ISO639_3_TO_BCP47 = {iso639_3: code for code, iso639_3 in DETECTOR_TO_ISO639_3.items() if iso639_3 and "-" not in code}
ISO639_3_TO_BCP47.update({
    "gle": "ga", "gla": "gd", "sin": "si", "pus": "ps", "yid": "yi", "amh": "am", "tir": "ti", "orm": "om",
    "yor": "yo", "ibo": "ig", "twi": "tw", "lin": "ln", "cmn": "zh",
})  # fmt: skip

# The same text must always get the same answer (langdetect is random by default).
DetectorFactory.seed = 0


@dataclass(frozen=True)
class Detection:
    """What the detector said: its own code (empty if it could not tell), ISO 639-3 and how sure it was."""

    detector_code: str
    iso639_3: str
    confidence: float


def detect(text: str) -> Detection:
    """The most likely language of ``text``. Text with no letters gets an empty answer and zero confidence."""
    try:
        candidates = detect_langs(text)
    except LangDetectException:
        return Detection("", "", 0.0)
    best = candidates[0]
    confidence = float(best.prob)
    if len(text.split()) < MIN_WORDS_FOR_CONFIDENCE:
        confidence = min(confidence, SHORT_TEXT_CONFIDENCE_CAP)
    return Detection(best.lang, DETECTOR_TO_ISO639_3.get(best.lang, ""), round(confidence, 4))


def html_lang(iso639_3: str) -> str:
    """The value for an HTML lang attribute: BCP 47 wants the two-letter code when the language has one."""
    return ISO639_3_TO_BCP47.get(iso639_3, iso639_3)


def languages_staff_read() -> QuerySet[Language]:
    """Languages at least one active member of staff reads, plus the working language."""
    read_by_someone = StaffLanguage.objects.filter(language=OuterRef("pk"), user__is_active=True)
    return Language.objects.filter(Q(code=WORKING_LANGUAGE_CODE) | Exists(read_by_someone))


def needing_interpreting(queryset: QuerySet[FeedbackItem] | None = None) -> QuerySet[FeedbackItem]:
    """Items still without an English summary that someone on staff asked to have interpreted, or whose
    language nobody reads, is unknown, or was detected with low confidence and not yet checked by a person.
    Items waiting for detection are not included unless someone asked."""
    items = FeedbackItem.objects.all() if queryset is None else queryset
    unsure = Q(original_language__isnull=True) | Q(
        language_corrected=False, language_confidence__lt=CONFIDENCE_THRESHOLD
    )
    nobody_reads = ~Q(original_language__in=languages_staff_read())
    detected = Q(language_detected_at__isnull=False) | Q(language_corrected=True)
    requested = Q(interpreting_requested_at__isnull=False)
    return items.filter(english_summary="").filter(requested | (detected & (unsure | nobody_reads)))


def may_request_interpreting(item: FeedbackItem) -> bool:
    """Offer "request interpreting" beside an item in a language other than English (or one not yet known)
    that has no English summary and nobody has asked for yet."""
    if item.english_summary.strip() or item.interpreting_requested_at is not None:
        return False
    return item.original_language is None or item.original_language.code != WORKING_LANGUAGE_CODE
