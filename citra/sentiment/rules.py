"""Indonesian rule words and how they map onto the rule words VADER already knows.

VADER's negation, booster and "but" rules are module globals with English words hard-coded; they
must not be changed (they leak across instances). Instead, before scoring, each Indonesian rule
word is rewritten to the English word whose rule it shares: a negator becomes ``not``, an
intensifier ``very``, a dampener ``somewhat``, a contrast word ``but``. An intensifier that
follows its word (``bagus banget``) is moved in front of it (``very bagus``).

This was chosen over the other clean way, a subclass with instance-level rule sets, by measured
macro-F1 (``bench/compare_rule_strategies.py``): the two tie on Indonesian and the mapping is
better on English, because VADER's own rule code keeps running unchanged.
"""

from __future__ import annotations


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


# The English rule words VADER reacts to (read only; VADER's own lists stay as they are).
NEGATION = "not"
BOOST = "very"
DAMPEN = "somewhat"
CONTRAST = "but"

NEGATORS = word_set(
    "tidak tak bukan belum jangan gak nggak enggak ga ngga tdk g tanpa jgn blm bkn "
    "kagak ndak gk enggak "
    # the counterfactual "should" (see COUNTERFACTUALS)
    "harusnya seharusnya mestinya semestinya "
    # multi-word negators, joined by RULE_PHRASES below
    "jauh_dari tidak_terlalu tidak_ada_yang tidak_pernah"
)
# A prohibition ("jangan nyebar hoax", "jangan sampai rugi") is a warning, not the praise a
# negated negative word would make: before a negative word it is taken back and the word keeps
# its sign. It still negates a positive word ("jangan percaya" = distrust) and the words of
# reassurance ("jangan khawatir" = no need to worry).
# The counterfactual "should (have been)" ("komentatornya harusnya mendidik", "mi yang seharusnya
# nikmat"): what should be good was not, so it negates a positive word, and like a prohibition
# it leaves a negative word its sign ("harusnya dihukum" is no praise). "sebaiknya" (it is
# advisable) is advice, not one of them ("sebaiknya mampir" recommends).
COUNTERFACTUALS = word_set("harusnya seharusnya mestinya semestinya")
PROHIBITIVES = word_set("jangan jgn") | COUNTERFACTUALS
REASSURED = word_set(
    "khawatir ragu takut cemas sungkan bingung kaget heran sedih menyesal nyesel galau panik "
    "kecewa malu"
)
# The praise words an ironic or courteous opening is made of ("mantap sekali, dana belum cair",
# "makasih, uang saya belum balik"); see analyzer.praise_then_complaint. Thanks written as two
# words ("Terima kasih, uang saya belum balik") is the token "terima_beri" (normalise.tsv reads
# "kasih" as "beri"), the run-together spellings ("makasih", "trims") "terima_kasih".
OPENING_PRAISE = word_set(
    "mantap mantul hebat keren luar_biasa terima_kasih terima_beri makasih salut top great nice "
    "wow amazing bravo thanks"
)
# Of those, the words of praise an ellipsis can make ironic when nothing follows them ("wah
# hebat... 👍", "keren banget…"): thanks are left out ("makasih..." is still thanks); see
# analyzer.trailing_irony.
IRONIC_PRAISE = OPENING_PRAISE - word_set("terima_kasih terima_beri makasih thanks")
# "kurang" before an adjective is the polite way to say "not" ("kurang enak" = not tasty).
SOFT_NEGATORS = frozenset({"kurang"})
PRE_INTENSIFIERS = word_set(
    "sangat amat paling terlalu sungguh begitu benar-benar betul-betul sangatlah amatlah "
    "makin semakin teramat super paling-paling "
    # "too" in everyday speech, and "very" doubled ("kelewat mahal", "sangat-sangat enak")
    "kelewat terlampau sangat-sangat amat-amat "
    # "bukan main enaknya" (no joke how tasty): the idiom intensifies, it does not negate
    "bukan_main"
)
POST_INTENSIFIERS = word_set("banget sekali pol parah abis bener nian")
DAMPENERS = word_set("agak sedikit rada cukup relatif sedikitnya")
CONTRASTS = word_set("tapi tetapi namun sayangnya sayang_sekali melainkan hanya_saja")

# The direction words of news phrases ("pengangguran menurun", "laba merosot", "NPL meningkat",
# "unemployment fell"). A phrase of the lexicon that ends in one of them is also matched with up
# to DIRECTION_GAP words between its subject and the direction, within a clause ("kemiskinan di
# desa menurun"); see analyzer.gapped_directions. Not "naik" and "turun": with words between
# they are as often to ride and to get off ("harga tiketnya murah, naik ojek ke sana"); their
# phrases match adjacent words only ("harga naik").
DIRECTIONS = word_set(
    "menurun meningkat berkurang bertambah melonjak anjlok merosot tumbuh menyusut "
    "melambat membaik terkendali ditekan "
    "fell rose dropped declined increased fall rise falls rises grew jumped surged plunged "
    "slumped"
)
DIRECTION_GAP = 5

# Rule words of several words, joined into one token before the mapping.
RULE_PHRASES = {
    ("jauh", "dari"): "jauh_dari",  # "jauh dari layak" = far from decent
    ("tidak", "terlalu"): "tidak_terlalu",  # "tidak terlalu bagus" = not that good
    ("belum", "terlalu"): "tidak_terlalu",
    ("kurang", "begitu"): "tidak_terlalu",
    ("tidak", "begitu"): "tidak_terlalu",
    ("tidak", "seberapa"): "tidak_terlalu",
    ("hanya", "saja"): "hanya_saja",
    # "sayang sekali" (what a pity) turns to the complaint, as "sayangnya" does
    ("sayang", "sekali"): "sayang_sekali",
    ("tidak", "ada", "yang"): "tidak_ada_yang",  # "tidak ada yang istimewa" = nothing special
    ("bukan", "main"): "bukan_main",  # "bukan main enaknya" = extraordinarily tasty
    # "not only" ("tidak hanya enak tapi juga murah"), "not rarely" (often), "no wonder" ("gak
    # heran ramai") and "undoubtedly" ("tak ayal") negate nothing: joined, they are plain words
    # and the word after them keeps its sign ("tak" and "gak" are read as "tidak" by then)
    **{
        (negator, only): negator + "_" + only
        for negator in ("tidak", "bukan")
        for only in ("hanya", "cuma", "cuman", "sekadar", "sekedar", "saja", "jarang", "heran")
    },
    ("tidak", "ayal"): "tidak_ayal",
    # "nothing more than" ("janjinya tak lebih dari omong kosong", "tidak lebih hanya
    # pencitraan") belittles: the word after it keeps its sign ("tidak lebih baik" still negates)
    ("tidak", "lebih", "dari"): "tidak_lebih_dari",
    ("tidak", "lebih", "hanya"): "tidak_lebih_dari",
    ("tidak", "lebih", "sekadar"): "tidak_lebih_dari",
    ("tidak", "lebih", "sekedar"): "tidak_lebih_dari",
    # "undeniably" ("tidak bisa dipungkiri enak") and "about" ("kurang lebih 30 menit": no
    # "kurang" that negates)
    ("tidak", "bisa", "dipungkiri"): "tidak_bisa_dipungkiri",
    ("tidak", "dapat", "dipungkiri"): "tidak_bisa_dipungkiri",
    ("tidak", "terbantahkan"): "tidak_terbantahkan",
    ("kurang", "lebih"): "kurang_lebih",
    ("lebih", "kurang"): "kurang_lebih",
    ("tidak", "pernah"): "tidak_pernah",
    ("belum", "pernah"): "tidak_pernah",
    # reduplication written with a space ("benar benar nyaman") is the intensifier still
    ("benar", "benar"): "benar-benar",
    ("betul", "betul"): "betul-betul",
}
# An Indonesian negator reaches its first sentiment word only ("tidak pernah menyesal
# mencintaimu": "menyesal" is negated, "mencintai" is not); spacers push later words out of
# VADER's three-word negation window.
NEGATION_SPACERS = 2

# Where a sentence or clause ends (. , ! ? ; or a line break), VADER's three-word windows
# (negation, boosters) must not reach across: the analyzer puts neutral barrier tokens there.
BARRIER = "\u00b7"
BARRIER_WIDTH = 3

RULE_WORDS = NEGATORS | SOFT_NEGATORS | PRE_INTENSIFIERS | POST_INTENSIFIERS | DAMPENERS | CONTRASTS

# Particles and possessive endings that can be cut off a word to find it in the lexicon; "-ne"
# and "-e" are the Javanese possessive ("pelayanane", "korbane").
SUFFIXES = ("nyalah", "nyapun", "nya", "lah", "kah", "pun", "ku", "mu", "tah", "ne", "e")

# Informal verb affixes: "nge-"/"ng-"/"ny-" for "me(N)-", "-in" for "-kan"/"-i" ("ngebantuin" =
# "membantukan", "nyebelin" = "sebel" + "-in", "dibenerin" = "dibenarkan").
_ME_PREFIX = (
    ("b", "mem", 0),
    ("f", "mem", 0),
    ("v", "mem", 0),
    ("p", "mem", 1),
    ("c", "men", 0),
    ("d", "men", 0),
    ("j", "men", 0),
    ("z", "men", 0),
    ("t", "men", 1),
    ("k", "meng", 1),
    ("g", "meng", 0),
    ("h", "meng", 0),
    ("s", "meny", 1),
    ("l", "me", 0),
    ("m", "me", 0),
    ("n", "me", 0),
    ("r", "me", 0),
    ("w", "me", 0),
    ("y", "me", 0),
)


def _me_form(root: str) -> str:
    """The standard ``me(N)-`` verb of a root ("bantu" -> "membantu", "kirim" -> "mengirim")."""
    if root[0] in "aeiou":
        return "meng" + root
    for first, prefix, drop in _ME_PREFIX:
        if root[0] == first:
            return prefix + root[drop:]
    return "me" + root


def informal_forms(word: str) -> list[str]:
    """The standard forms an informally affixed word may stand for, most literal first: the
    root without ``nge-``/``ng-``/``ny-`` and its ``me(N)-`` verb, and for ``-in`` the
    ``-kan``/``-i`` forms ("maluin" -> "malu", "malukan"; "dibenerin" -> "dibenerkan"). The
    caller keeps the first one that is in the lexicon. Empty for other words."""
    suffixed = word.endswith("in") and len(word) > 5
    base = word[:-2] if suffixed else word
    if base.startswith("nge") and len(base) > 5:
        roots = [base[3:]]
    elif base.startswith("ny") and len(base) > 4:
        roots = ["s" + base[2:], "c" + base[2:]]
    elif base.startswith("ng") and len(base) > 4:
        roots = [base[2:], "k" + base[2:]]
    elif suffixed:
        return [base, base + "kan", base + "i"]
    else:
        return []
    forms = [form for root in roots for form in (root, _me_form(root))]
    if suffixed:
        forms += [form + end for form in forms for end in ("kan", "i")]
    return forms
