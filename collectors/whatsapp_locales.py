"""What WhatsApp writes in an export, per phone language: placeholders and system lines.

A chat export is written in the language of the exporting phone, not of the group: the same
group exported from two phones gives ``<Media tidak disertakan>`` and ``<Medien ausgeschlossen>``.
Each :class:`PhoneLanguage` lists, as regular-expression fragments matched case-insensitively,

- ``media``: whole-message media placeholders (Android: ``<Media omitted>``);
- ``media_nouns`` + ``omitted``: iOS's per-type placeholders (``image omitted``,
  ``gambar tidak disertakan``), always noun first; ``document_nouns`` are the nouns iOS writes
  after a file name (``Laporan.pdf • 12 halaman dokumen tidak disertakan``);
- ``attached``: Android's ``IMG-....jpg (file attached)`` words (iOS writes ``<attached: ...>``
  with a localised word, read generically);
- ``deleted``, ``edited`` (the ``<This message was edited>`` marker), ``calls`` (missed or
  silenced voice/video call lines);
- ``system``: for each system event, fragments that identify it (searched in the line).

Languages: Indonesian first, then English, German, Spanish, Portuguese, French, Italian, Russian,
Dutch and Turkish. Union patterns over every language are compiled once at import: lines are
recognised whatever the phone's language, and a file mixing languages (a phone switched
language) reads too. Adding a language is adding one :class:`PhoneLanguage` to
:data:`LANGUAGES`; each has a golden fixture in ``tests/fixtures/whatsapp/``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# System events, in the order they are tried (the first that matches names the line).
EVENTS = (
    "encryption",
    "created",
    "subject",
    "joined",
    "number_changed",
    "admin",
    "security",
    "disappearing",
    "changed",
    "added",
    "removed",
    "left",
)


@dataclass(frozen=True)
class PhoneLanguage:
    """The placeholder and system texts one phone language writes (regular-expression
    fragments, matched case-insensitively)."""

    code: str
    media: tuple[str, ...]
    media_nouns: tuple[str, ...]
    omitted: tuple[str, ...]
    document_nouns: tuple[str, ...]
    attached: tuple[str, ...]
    deleted: tuple[str, ...]
    edited: tuple[str, ...]
    calls: tuple[str, ...]
    system: dict[str, tuple[str, ...]] = field(default_factory=dict)


N = r"[^:]*?"  # a name (or "You") before the verb: anything but a colon, shortest first

INDONESIAN = PhoneLanguage(
    code="id",
    media=("<media tidak disertakan>", "<media dihilangkan>", "<media tidak dilampirkan>"),
    media_nouns=("gambar", "foto", "video", "audio", "stiker", "gif", "dokumen", "kartu kontak"),
    omitted=("tidak disertakan", "dihilangkan", "tidak dilampirkan"),
    document_nouns=("dokumen",),
    attached=("file terlampir", "berkas terlampir"),
    deleted=(
        "pesan ini telah dihapus",
        "pesan ini dihapus",
        "anda menghapus pesan ini",
        "pesan ini dihapus oleh admin.*",
        "menunggu pesan ini.*",
    ),
    edited=("pesan ini diedit", "pesan ini telah diedit"),
    calls=(
        "panggilan (?:suara|video)(?: grup)? tak terjawab",
        "panggilan (?:suara|video)(?: grup)? tidak terjawab",
        "panggilan (?:suara|video) dibisukan",
    ),
    system={
        "encryption": (
            r"^pesan dan panggilan (?:terenkripsi|dienkripsi)",
            r"^pesan .{0,80}(?:enkripsi|terenkripsi) end-to-end",
        ),
        "created": (rf"^{N}\s?membuat grup",),
        "subject": (rf"^{N}\s?mengubah (?:subjek|nama grup)",),
        "joined": (rf"^{N}\s?bergabung",),
        "number_changed": (rf"^{N}\s?(?:telah )?(?:mengganti|mengubah|berganti) nomor",),
        "admin": (r"^anda sekarang (?:adalah )?admin",),
        "security": (r"kode keamanan .*(?:berubah|diubah)",),
        "disappearing": (r"pesan sementara",),
        "changed": (
            rf"^{N}\s?mengubah (?:ikon|foto|deskripsi|setelan|pengaturan)",
            rf"^{N}\s?menghapus (?:ikon|foto|deskripsi)",
        ),
        "added": (rf"^{N}\smenambahkan\s",),
        "removed": (rf"^{N}\smengeluarkan\s",),
        "left": (rf"^{N}\s(?:keluar|telah keluar)\.?$",),
    },
)

ENGLISH = PhoneLanguage(
    code="en",
    media=("<media omitted>",),
    media_nouns=(
        "image",
        "photo",
        "video",
        "audio",
        "sticker",
        "gif",
        "document",
        "contact card",
        "video note",
    ),
    omitted=("omitted",),
    document_nouns=("document",),
    attached=("file attached",),
    deleted=(
        "this message was deleted",
        "you deleted this message",
        "this message was deleted by admin.*",
        "waiting for this message.*",
    ),
    edited=("this message was edited",),
    calls=(
        "missed (?:group )?(?:voice|video) call",
        "silenced (?:voice|video) call",
    ),
    system={
        "encryption": (
            r"^messages and calls are end-to-end encrypted",
            r"^messages (?:to|you send to) this (?:group|chat)(?: and calls)? are now secured",
        ),
        "created": (rf"^{N}\s?created (?:group|this group|the group)",),
        "subject": (
            rf"^{N}\s?changed (?:the|this group's) (?:group )?(?:subject|name)",
            rf"^{N}\s?changed the group name",
        ),
        "joined": (rf"^{N}\s?joined (?:using|from|via)", rf"^{N}\s?joined\.?$"),
        "number_changed": (
            rf"^{N}\s?changed (?:their|his|her|the) (?:phone )?number",
            r"changed to \+?\d",
        ),
        "admin": (r"^you(?:'re| are) now an admin",),
        "security": (r"security code (?:with .*)?changed",),
        "disappearing": (r"disappearing messages",),
        "changed": (
            rf"^{N}\s?changed (?:this group's|the group's|the group) "
            r"(?:icon|description|settings|photo)",
            rf"^{N}\s?deleted this group's (?:icon|description)",
        ),
        "added": (rf"^{N}\sadded\s",),
        "removed": (rf"^{N}\sremoved\s",),
        "left": (rf"^{N}\sleft\.?$",),
    },
)

GERMAN = PhoneLanguage(
    code="de",
    media=("<medien ausgeschlossen>", "<medien weggelassen>"),
    media_nouns=(
        "bild",
        "foto",
        "video",
        "audio",
        "sticker",
        "gif",
        "dokument",
        "kontaktkarte",
        "kontakt",
    ),
    omitted=("weggelassen", "ausgelassen", "ausgeschlossen"),
    document_nouns=("dokument",),
    attached=("datei angehängt",),
    deleted=("diese nachricht wurde gelöscht", "du hast diese nachricht gelöscht"),
    edited=("diese nachricht wurde bearbeitet",),
    calls=(
        "verpasster (?:gruppen)?(?:sprach|video)anruf",
        "stummgeschalteter (?:sprach|video)anruf",
    ),
    system={
        "encryption": (r"ende-zu-ende-verschlüsselt",),
        "created": (rf"^{N}\s?(?:hat|hast) (?:die|diese) gruppe\b.*\berstellt",),
        "subject": (
            rf"^{N}\s?(?:hat|hast) den (?:betreff|gruppennamen)\b",
            rf"^{N}\s?(?:hat|hast) die gruppe in .* umbenannt",
        ),
        "joined": (rf"^{N}\s?(?:ist|bist) .*beigetreten",),
        "number_changed": (
            rf"^{N}\s?(?:hat|hast) (?:seine|ihre|deine|die) (?:telefon)?nummer",
            rf"^{N}\s?(?:hat|hast) zu .* gewechselt",
        ),
        "admin": (r"^du bist (?:jetzt|nun) (?:ein )?admin",),
        "security": (r"sicherheitsnummer .*geändert",),
        "disappearing": (r"selbstlöschende nachrichten",),
        "changed": (rf"^{N}\s?(?:hat|hast) .*gruppen(?:bild|beschreibung|einstellungen)",),
        "added": (rf"^{N}\s(?:hat|hast) .*hinzugefügt",),
        "removed": (rf"^{N}\s(?:hat|hast) .*entfernt",),
        "left": (rf"^{N}\s(?:hat|hast) die gruppe verlassen", rf"^{N}\s(?:ist|bist) ausgetreten"),
    },
)

SPANISH = PhoneLanguage(
    code="es",
    media=("<multimedia omitido>", "<archivo omitido>"),
    media_nouns=(
        "imagen",
        "foto",
        "video",
        "vídeo",
        "audio",
        "sticker",
        "gif",
        "documento",
        "tarjeta de contacto",
    ),
    omitted=("omitid[oa]",),
    document_nouns=("documento",),
    attached=("archivo adjunto",),
    deleted=(
        "se eliminó este mensaje",
        "eliminaste este mensaje",
        "este mensaje fue eliminado",
        "se eliminó este mensaje por un admin.*",
    ),
    edited=("se editó este mensaje", "este mensaje fue editado"),
    calls=(
        "llamada (?:grupal )?de (?:voz|video|vídeo) perdida",
        "videollamada (?:grupal )?perdida",
        "llamada de (?:voz|video) silenciada",
    ),
    system={
        "encryption": (r"cifrad[oa]s? de extremo a extremo",),
        "created": (rf"^{N}\s?cre(?:ó|aste) (?:el|este) grupo",),
        "subject": (rf"^{N}\s?cambi(?:ó|aste) (?:el asunto|el nombre del grupo|el tema)",),
        "joined": (rf"^{N}\s?(?:se unió|te uniste)",),
        "number_changed": (rf"^{N}\s?cambi(?:ó|aste) (?:su|tu) número", r"cambió a \+?\d"),
        "admin": (r"^ahora eres (?:un )?admin",),
        "security": (r"código de seguridad .*cambió",),
        "disappearing": (r"mensajes temporales",),
        "changed": (
            rf"^{N}\s?cambi(?:ó|aste) (?:el ícono|el icono|la imagen|la foto|la descripción|"
            r"la configuración|los ajustes)",
        ),
        "added": (rf"^{N}\s(?:añadió|agregó|añadiste|agregaste) a\s",),
        "removed": (rf"^{N}\s(?:eliminó|eliminaste|expulsó) a\s",),
        "left": (rf"^{N}\s(?:salió|saliste)(?: del grupo)?\.?$",),
    },
)

PORTUGUESE = PhoneLanguage(
    code="pt",
    media=("<mídia oculta>", "<arquivo de mídia oculto>", "<multimédia omitido>"),
    media_nouns=(
        "imagem",
        "foto",
        "vídeo",
        "video",
        "áudio",
        "audio",
        "figurinha",
        "sticker",
        "gif",
        "documento",
        "cartão de contato",
        "cartão de contacto",
    ),
    omitted=("ocultad[oa]", "omitid[oa]", "oculto", "oculta"),
    document_nouns=("documento",),
    attached=("arquivo anexado", "ficheiro anexado"),
    deleted=(
        "esta mensagem foi apagada",
        "você apagou esta mensagem",
        "mensagem apagada",
        "apagou esta mensagem",
    ),
    edited=("mensagem editada", "esta mensagem foi editada"),
    calls=(
        "chamada de (?:voz|vídeo|video)(?: em grupo)? perdida",
        "chamada de (?:voz|vídeo) silenciada",
    ),
    system={
        "encryption": (r"criptografia de ponta a ponta", r"encriptadas ponto a ponto"),
        "created": (rf"^{N}\s?criou (?:o|este) grupo",),
        "subject": (rf"^{N}\s?(?:mudou|alterou) o (?:assunto|nome)",),
        "joined": (rf"^{N}\s?entrou (?:usando|através|pelo|por|no)",),
        "number_changed": (
            rf"^{N}\s?(?:mudou|alterou) (?:seu|o seu|o) número",
            r"mudou para \+?\d",
        ),
        "admin": (r"^agora você é (?:um )?admin",),
        "security": (r"código de segurança .*mudou",),
        "disappearing": (r"mensagens temporárias",),
        "changed": (
            rf"^{N}\s?(?:mudou|alterou|apagou) (?:a imagem|a foto|o ícone|a descrição|"
            r"as configurações|as definições)",
        ),
        "added": (rf"^{N}\sadicionou\s",),
        "removed": (rf"^{N}\sremoveu\s",),
        "left": (rf"^{N}\s(?:saiu|saíste)(?: do grupo)?\.?$",),
    },
)

FRENCH = PhoneLanguage(
    code="fr",
    media=("<médias omis>", "<fichier omis>"),
    media_nouns=(
        "image",
        "photo",
        "vidéo",
        "video",
        "audio",
        "autocollant",
        "sticker",
        "gif",
        "document",
        "carte de contact",
        "fiche contact",
    ),
    omitted=("absente?", "omise?s?", "retirée?", "manquante?"),
    document_nouns=("document",),
    attached=("fichier joint", "pièce jointe"),
    deleted=("ce message a été supprimé", "vous avez supprimé ce message"),
    edited=("ce message a été modifié",),
    calls=(
        "appel (?:vocal|vidéo)(?: de groupe)? manqué",
        "appel (?:vocal|vidéo) silencieux",
    ),
    system={
        "encryption": (r"chiffrés de bout en bout",),
        "created": (rf"^{N}\s?(?:a|avez) créé (?:le|ce) groupe",),
        "subject": (rf"^{N}\s?(?:a|avez) (?:modifié|changé) (?:le sujet|le nom du groupe)",),
        "joined": (
            rf"^{N}\s?(?:a|avez) rejoint",
            rf"^{N}\s?(?:s['’]est|vous êtes) joint",
        ),
        "number_changed": (rf"^{N}\s?(?:a|avez) changé (?:son |de |votre )?numéro",),
        "admin": (r"^vous êtes (?:désormais|maintenant) (?:un )?admin",),
        "security": (r"code de sécurité .*changé",),
        "disappearing": (r"messages éphémères",),
        "changed": (
            rf"^{N}\s?(?:a|avez) (?:modifié|changé|supprimé) (?:l['’]icône|la photo|"
            r"la description|les paramètres)",
        ),
        "added": (rf"^{N}\s(?:a|avez) ajouté\s",),
        "removed": (rf"^{N}\s(?:a|avez) retiré\s",),
        "left": (rf"^{N}\s(?:est parti(?:e)?|a quitté(?: le groupe)?|êtes parti(?:e)?)\.?$",),
    },
)

ITALIAN = PhoneLanguage(
    code="it",
    media=("<media omessi>", "<media omesso>"),
    media_nouns=(
        "immagine",
        "foto",
        "video",
        "audio",
        "sticker",
        "gif",
        "documento",
        "scheda contatto",
        "contatto",
    ),
    omitted=("omess[oai]", "esclus[oa]"),
    document_nouns=("documento",),
    attached=("file allegato",),
    deleted=("questo messaggio è stato eliminato", "hai eliminato questo messaggio"),
    edited=("questo messaggio è stato modificato",),
    calls=(
        "chiamata vocale(?: di gruppo)? persa",
        "videochiamata(?: di gruppo)? persa",
        "chiamata (?:vocale|video) silenziata",
    ),
    system={
        "encryption": (r"crittografat[ie] end-to-end",),
        "created": (rf"^{N}\s?ha(?:i)? creato (?:il|questo) gruppo",),
        "subject": (
            rf"^{N}\s?ha(?:i)? (?:cambiato|modificato) (?:l['’]oggetto|il nome del gruppo)",
        ),
        "joined": (rf"^{N}\s?(?:si è unit[oa]|ti sei unit[oa])",),
        "number_changed": (rf"^{N}\s?ha(?:i)? cambiato (?:il suo |il tuo |il )?numero",),
        "admin": (r"^ora sei (?:un )?amministratore",),
        "security": (r"codice di sicurezza .*cambiato",),
        "disappearing": (r"messaggi effimeri",),
        "changed": (
            rf"^{N}\s?ha(?:i)? (?:cambiato|modificato|eliminato) (?:l['’]immagine|l['’]icona|"
            r"la descrizione|le impostazioni)",
        ),
        "added": (rf"^{N}\sha(?:i)? aggiunto\s",),
        "removed": (rf"^{N}\sha(?:i)? rimosso\s",),
        "left": (rf"^{N}\s(?:è uscit[oa]|sei uscit[oa]|ha abbandonato(?: il gruppo)?)\.?$",),
    },
)

RUSSIAN = PhoneLanguage(
    code="ru",
    media=("<без медиафайлов>", "<медиафайл отсутствует>"),
    media_nouns=(
        "изображение",
        "фото",
        "видео",
        "аудио",
        "аудиофайл",
        "стикер",
        "gif",
        "документ",
        "карточка контакта",
        "контакт",
    ),
    omitted=("отсутствует", "не включено", "не включён", "не включен", "пропущено"),
    document_nouns=("документ",),
    attached=("файл добавлен", "файл прикреплен", "файл прикреплён"),
    deleted=(
        "данное сообщение удалено",
        "это сообщение удалено",
        "вы удалили данное сообщение",
        "вы удалили это сообщение",
    ),
    edited=("сообщение изменено", "сообщение было изменено"),
    calls=(
        "пропущенный (?:групповой )?(?:аудио|видео)звонок",
        "пропущенный (?:голосовой|видео) звонок",
    ),
    system={
        "encryption": (r"сквозным шифрованием",),
        "created": (rf"^{N}\s?создал\S* (?:группу|эту группу)",),
        "subject": (rf"^{N}\s?изменил\S* (?:тему|название группы|название)",),
        "joined": (rf"^{N}\s?(?:присоединил|вступил)\S*",),
        "number_changed": (rf"^{N}\s?(?:сменил|изменил)\S* (?:свой )?номер",),
        "admin": (r"^теперь вы (?:являетесь )?администратор",),
        "security": (r"код безопасности .*изменился",),
        "disappearing": (r"исчезающие сообщения",),
        "changed": (
            rf"^{N}\s?(?:изменил|удалил)\S* (?:изображение|фото|значок|описание|настройки)",
        ),
        "added": (rf"^{N}\sдобавил\S*\s",),
        "removed": (rf"^{N}\sудалил\S*\s",),
        "left": (rf"^{N}\s(?:вышел\S*|вышла|вышли|покинул\S*)(?: из группы)?\.?$",),
    },
)

DUTCH = PhoneLanguage(
    code="nl",
    media=("<media weggelaten>",),
    media_nouns=(
        "afbeelding",
        "foto",
        "video",
        "audio",
        "sticker",
        "gif",
        "document",
        "contactkaart",
        "contact",
    ),
    omitted=("weggelaten",),
    document_nouns=("document",),
    attached=("bestand bijgevoegd",),
    deleted=("dit bericht is verwijderd", "je hebt dit bericht verwijderd"),
    edited=("dit bericht is bewerkt",),
    calls=(
        "gemist (?:groeps)?(?:spraak|video)gesprek",
        "gemiste (?:spraak|video)oproep",
    ),
    system={
        "encryption": (r"end-to-end versleuteld",),
        "created": (rf"^{N}\s?(?:heeft|hebt) (?:de |deze )?groep\b.*\baangemaakt",),
        "subject": (
            rf"^{N}\s?(?:heeft|hebt) (?:het onderwerp|de groepsnaam|de naam)\b.*\bgewijzigd",
        ),
        "joined": (
            rf"^{N}\s?(?:neemt|neem) deel",
            rf"^{N}\s?(?:is|bent) lid geworden",
            rf"^{N}\s?doet mee",
        ),
        "number_changed": (
            rf"^{N}\s?(?:heeft|hebt) .*telefoonnummer .*gewijzigd",
            rf"^{N}\s?is overgestapt naar",
        ),
        "admin": (r"^je bent nu (?:een )?beheerder",),
        "security": (r"beveiligingscode .*gewijzigd",),
        "disappearing": (r"verdwijnende berichten",),
        "changed": (
            rf"^{N}\s?(?:heeft|hebt) .*(?:groepsafbeelding|groepsbeschrijving|groepsinstellingen|"
            r"groepsicoon)",
        ),
        "added": (rf"^{N}\s(?:heeft|hebt) .*toegevoegd",),
        "removed": (rf"^{N}\s(?:heeft|hebt) .*verwijderd",),
        "left": (rf"^{N}\s(?:heeft|hebt) de groep verlaten", rf"^{N}\s(?:is|bent) vertrokken"),
    },
)

TURKISH = PhoneLanguage(
    code="tr",
    media=("<medya dahil edilmedi>", "<medya çıkarıldı>", "<medya atlandı>"),
    media_nouns=(
        "görüntü",
        "fotoğraf",
        "video",
        "ses",
        "çıkartma",
        "gif",
        "belge",
        "doküman",
        "kişi kartı",
    ),
    omitted=("dahil edilmedi", "çıkarıldı", "atlandı"),
    document_nouns=("belge", "doküman"),
    attached=("dosya ekli", "dosya eklendi"),
    deleted=("bu mesaj silindi", "bu mesajı sildiniz", "bu mesajı sildin"),
    edited=("bu mesaj düzenlendi",),
    calls=(
        "cevapsız (?:grup )?(?:sesli|görüntülü) arama",
        "sessize alınmış (?:sesli|görüntülü) arama",
    ),
    system={
        "encryption": (r"uçtan uca şifreli",),
        "created": (rf"^{N}\s?.*\bgrubunu oluşturdu", rf"^{N}\s?bu grubu oluşturdu"),
        "subject": (rf"^{N}\s?(?:grup )?(?:konuyu|konusunu|grup adını|adını)\b.*\bdeğiştirdi",),
        "joined": (rf"^{N}\s?.*\bkatıldı",),
        "number_changed": (rf"^{N}\s?.*numarasını değiştirdi", rf"^{N}\s?.*numaraya geçti"),
        "admin": (r"^artık (?:bir )?yönetici(?:siniz)?",),
        "security": (r"güvenlik kodu(?:nuz)? .*değişti",),
        "disappearing": (r"(?:süreli|kaybolan) mesajlar",),
        "changed": (
            rf"^{N}\s?.*(?:simgesini|açıklamasını|ayarlarını|resmini) (?:değiştirdi|sildi)",
        ),
        "added": (rf"^{N}\s.*\bekledi\b",),
        "removed": (rf"^{N}\s.*\bçıkardı\b",),
        "left": (rf"^{N}\s(?:gruptan )?ayrıldı\.?$",),
    },
)

LANGUAGES: tuple[PhoneLanguage, ...] = (
    INDONESIAN,
    ENGLISH,
    GERMAN,
    SPANISH,
    PORTUGUESE,
    FRENCH,
    ITALIAN,
    RUSSIAN,
    DUTCH,
    TURKISH,
)


def _union(fragments: list[str]) -> str:
    # Longest first, so that "pesan ini telah dihapus" is tried before "pesan ini dihapus".
    return "|".join(sorted(dict.fromkeys(fragments), key=len, reverse=True))


def _all(attribute: str) -> list[str]:
    return [fragment for lang in LANGUAGES for fragment in getattr(lang, attribute)]


_FLAGS = re.IGNORECASE | re.DOTALL
MEDIA_NOUNS = _union(_all("media_nouns"))
OMITTED = _union(_all("omitted"))
# A whole-message placeholder at the start of the text; what follows (same line or the next
# lines) is a caption.
MEDIA = re.compile(
    rf"^(?:{_union(_all('media'))}|(?:{MEDIA_NOUNS})\s+(?:{OMITTED}))(?=\s|$)(?P<rest>.*)$", _FLAGS
)
# iOS: "Laporan.pdf • 12 halaman dokumen tidak disertakan" (the file name and page count first).
DOCUMENT = re.compile(
    rf"^(?P<file>[^\n]*?(?:\.\w{{1,5}}|•[^\n]*?))\s+(?:{_union(_all('document_nouns'))})\s+"
    rf"(?:{OMITTED})(?P<rest>.*)$",
    _FLAGS,
)
# Android with media: "IMG-20240115-WA0003.jpg (file attached)"; iOS with media:
# "<attached: 00000012-PHOTO-2024-01-05-09-03-00.jpg>" (any localised word before the colon),
# after "name • 2 pages" for a document.
ATTACHED = re.compile(
    rf"^(?:(?P<file>[^\n]*?\.\w{{1,5}})\s+\((?:{_union(_all('attached'))})\)"
    r"|(?:[^\n<]*•[^\n<]*)?<[^<>:\n]{2,30}:\s*(?P<ios>[^<>\n]+?)\s*>)(?P<rest>.*)$",
    _FLAGS,
)
VIEW_ONCE = re.compile(r"^null$")
DELETED = re.compile(rf"^(?:{_union(_all('deleted'))})\.?$", re.IGNORECASE)
EDITED = re.compile(rf"\s*<(?:{_union(_all('edited'))})\.?>$", re.IGNORECASE)
CALL = re.compile(rf"^(?:{_union(_all('calls'))})\b", re.IGNORECASE)
SYSTEM_RULES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (
        event,
        re.compile(
            _union([f for lang in LANGUAGES for f in lang.system.get(event, ())]), re.IGNORECASE
        ),
    )
    for event in EVENTS
)
ENCRYPTION = dict(SYSTEM_RULES)["encryption"]
# The group's name in a "created group" or "changed the subject" line is its last quoted text,
# in any of the quotation marks phones write.
QUOTED = re.compile(
    r"\"(?P<a>[^\"\n]{1,100})\"|“(?P<b>[^”\n]{1,100})”|„(?P<c>[^“”\n]{1,100})[“”]"
    r"|«\s?(?P<d>[^»\n]{1,100}?)\s?»|‘(?P<e>[^’\n]{1,100})’|(?<!\w)'(?P<f>[^'\n]{1,100})'(?!\w)"
)
QUOTES = "\"“”„«»‘’'"


def system_event(text: str) -> str | None:
    """The system event ``text`` is in any phone language (``encryption``, ``created``,
    ``subject``, ``joined``, ``added``, ``removed``, ``left``, ``number_changed``, ``changed``,
    ``admin``, ``security``, ``disappearing``), or ``None``."""
    for event, pattern in SYSTEM_RULES:
        if pattern.search(text):
            return event
    return None


def quoted_name(text: str) -> str | None:
    """The last quoted text of a line (``created group "Anggota KSP"`` -> ``Anggota KSP``)."""
    quotes = list(QUOTED.finditer(text))
    if not quotes:
        return None
    name = next(value for value in quotes[-1].groups() if value is not None)
    return " ".join(name.split()) or None
