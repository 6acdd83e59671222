"""WhatsApp exports in every phone language Citra has tables for, and every timestamp layout.

Tables of cases: each placeholder and system text as an iOS or Android phone in that language
writes it, and each layout's first line with the local time it must give. The golden fixtures in
tests/fixtures/whatsapp/ (one per language and layout) run through the whole importer in
tests/test_members_whatsapp.py.
"""

from __future__ import annotations

import zipfile

import pytest

from citra.errors import CitraError
from collectors import whatsapp
from collectors.importer import Rejected, import_path
from collectors.whatsapp_locales import LANGUAGES, quoted_name, system_event
from tests.conftest import FIXTURES

CHATS = FIXTURES / "whatsapp"

# (language, text as the phone writes it after "Sender: ", kind, caption)
PLACEHOLDERS = [
    # Indonesian
    ("id", "<Media tidak disertakan>", "media", ""),
    ("id", "<Media tidak disertakan>\nFoto RAT kemarin", "media", "Foto RAT kemarin"),
    ("id", "gambar tidak disertakan", "media", ""),
    ("id", "video tidak disertakan", "media", ""),
    ("id", "stiker tidak disertakan", "media", ""),
    ("id", "kartu kontak tidak disertakan", "media", ""),
    ("id", "Laporan RAT.pdf • 12 halaman dokumen tidak disertakan", "media", ""),
    ("id", "Notulen.docx dokumen tidak disertakan", "media", ""),
    ("id", "IMG-20240101-WA0001.jpg (file terlampir)\nSuasana rapat", "media", "Suasana rapat"),
    ("id", "<terlampir: 00000012-PHOTO-2024-01-05-09-03-00.jpg>", "media", ""),
    ("id", "Pesan ini telah dihapus", "deleted", ""),
    ("id", "Anda menghapus pesan ini", "deleted", ""),
    ("id", "Panggilan suara tak terjawab", "call", ""),
    ("id", "Panggilan video tak terjawab", "call", ""),
    ("id", "null", "media", ""),
    # English
    ("en", "<Media omitted>", "media", ""),
    ("en", "image omitted", "media", ""),
    ("en", "GIF omitted", "media", ""),
    ("en", "Annual report.pdf • 24 pages document omitted", "media", ""),
    ("en", "<attached: 00000005-PHOTO-2024-03-14-18-02-00.jpg>", "media", ""),
    ("en", "report.pdf (file attached)\nreport", "media", ""),
    ("en", "This message was deleted", "deleted", ""),
    ("en", "You deleted this message.", "deleted", ""),
    ("en", "Missed voice call, Tap to call back", "call", ""),
    ("en", "Missed group video call", "call", ""),
    # German
    ("de", "<Medien ausgeschlossen>", "media", ""),
    ("de", "Bild weggelassen", "media", ""),
    ("de", "Protokoll.pdf • 2 Seiten Dokument weggelassen", "media", ""),
    ("de", "IMG-20240101-WA0001.jpg (Datei angehängt)", "media", ""),
    ("de", "<Anhang: 00000012-PHOTO-2024-01-05-09-03-00.jpg>", "media", ""),
    ("de", "Diese Nachricht wurde gelöscht.", "deleted", ""),
    ("de", "Du hast diese Nachricht gelöscht.", "deleted", ""),
    ("de", "Verpasster Videoanruf", "call", ""),
    # Spanish
    ("es", "<Multimedia omitido>", "media", ""),
    ("es", "imagen omitida", "media", ""),
    ("es", "Acta.pdf • 3 páginas documento omitido", "media", ""),
    ("es", "IMG-20240101-WA0001.jpg (archivo adjunto)", "media", ""),
    ("es", "Se eliminó este mensaje.", "deleted", ""),
    ("es", "Eliminaste este mensaje.", "deleted", ""),
    ("es", "Videollamada perdida", "call", ""),
    # Portuguese
    ("pt", "<Mídia oculta>", "media", ""),
    ("pt", "imagem ocultada", "media", ""),
    ("pt", "figurinha omitida", "media", ""),
    ("pt", "Ata.pdf • 2 páginas documento omitido", "media", ""),
    ("pt", "IMG-20240101-WA0001.jpg (arquivo anexado)", "media", ""),
    ("pt", "Esta mensagem foi apagada", "deleted", ""),
    ("pt", "Você apagou esta mensagem", "deleted", ""),
    ("pt", "Chamada de vídeo perdida", "call", ""),
    # French
    ("fr", "<Médias omis>", "media", ""),
    ("fr", "image absente", "media", ""),
    ("fr", "Compte rendu.pdf • 2 pages document omis", "media", ""),
    ("fr", "IMG-20240101-WA0001.jpg (fichier joint)", "media", ""),
    ("fr", "Ce message a été supprimé", "deleted", ""),
    ("fr", "Vous avez supprimé ce message", "deleted", ""),
    ("fr", "Appel vidéo manqué", "call", ""),
    # Italian
    ("it", "<Media omessi>", "media", ""),
    ("it", "immagine omessa", "media", ""),
    ("it", "Verbale.pdf • 3 pagine documento omesso", "media", ""),
    ("it", "IMG-20240101-WA0001.jpg (file allegato)", "media", ""),
    ("it", "Questo messaggio è stato eliminato", "deleted", ""),
    ("it", "Hai eliminato questo messaggio", "deleted", ""),
    ("it", "Videochiamata persa", "call", ""),
    # Russian
    ("ru", "<Без медиафайлов>", "media", ""),
    ("ru", "изображение отсутствует", "media", ""),
    ("ru", "Протокол.pdf • 2 стр. документ отсутствует", "media", ""),
    ("ru", "IMG-20240101-WA0001.jpg (файл добавлен)", "media", ""),
    ("ru", "Данное сообщение удалено", "deleted", ""),
    ("ru", "Вы удалили данное сообщение", "deleted", ""),
    ("ru", "Пропущенный видеозвонок", "call", ""),
    # Dutch
    ("nl", "<Media weggelaten>", "media", ""),
    ("nl", "afbeelding weggelaten", "media", ""),
    ("nl", "Notulen.pdf • 2 pagina's document weggelaten", "media", ""),
    ("nl", "IMG-20240101-WA0001.jpg (bestand bijgevoegd)", "media", ""),
    ("nl", "Dit bericht is verwijderd", "deleted", ""),
    ("nl", "Je hebt dit bericht verwijderd", "deleted", ""),
    ("nl", "Gemist videogesprek", "call", ""),
    # Turkish
    ("tr", "<Medya dahil edilmedi>", "media", ""),
    ("tr", "görüntü dahil edilmedi", "media", ""),
    ("tr", "Tutanak.pdf • 2 sayfa belge dahil edilmedi", "media", ""),
    ("tr", "IMG-20240101-WA0001.jpg (dosya ekli)", "media", ""),
    ("tr", "Bu mesaj silindi", "deleted", ""),
    ("tr", "Bu mesajı sildiniz", "deleted", ""),
    ("tr", "Cevapsız görüntülü arama", "call", ""),
]

# Members' own words that must stay text, whatever they mention.
MEMBER_TEXTS = [
    "Besok saya kirim laporannya, gambar tidak jelas",
    "Kapan RAT? Fotonya nanti saya kirim",
    "This message was deleted by mistake?",
    "Laporan.pdf sudah saya baca, bagus",
    "Saya tidak terjawab teleponnya",
    "null and void",
    "Bild ist schön",
    "08.00 - 08.30 registrasi",
]

# (language, system line as written without a sender, event, group name it gives)
SYSTEM_LINES = [
    ("id", 'Budi membuat grup "Anggota KSP"', "created", "Anggota KSP"),
    ("id", 'Budi mengubah subjek dari "A" menjadi "Anggota KSP"', "subject", "Anggota KSP"),
    ("id", "Budi bergabung menggunakan tautan undangan grup ini", "joined", None),
    ("id", "Budi menambahkan Siti", "added", None),
    ("id", "Budi mengeluarkan Siti", "removed", None),
    ("id", "Siti keluar", "left", None),
    ("id", "Siti telah mengganti nomor teleponnya ke nomor baru.", "number_changed", None),
    ("id", "Budi mengubah ikon grup ini", "changed", None),
    ("en", 'Ann created group "Coop Members"', "created", "Coop Members"),
    ("en", 'Ann changed the subject from "A" to "Coop Members"', "subject", "Coop Members"),
    ("en", "Ann changed the group name to “Coop Members”", "subject", "Coop Members"),
    ("en", "Bob joined using this group's invite link", "joined", None),
    ("en", "Ann changed this group's icon", "changed", None),
    ("de", "Klaus hat die Gruppe „Mitglieder“ erstellt", "created", "Mitglieder"),
    ("de", "Klaus hat Petra entfernt", "removed", None),
    ("de", "Petra ist über den Einladungslink dieser Gruppe beigetreten", "joined", None),
    ("es", 'María creó el grupo "Socios"', "created", "Socios"),
    ("es", "Juan se unió usando el enlace de invitación de este grupo", "joined", None),
    ("es", "María eliminó a Juan", "removed", None),
    ("pt", 'Ana criou o grupo "Cooperados"', "created", "Cooperados"),
    ("pt", "Pedro entrou usando o link de convite deste grupo", "joined", None),
    ("pt", "Ana removeu Pedro", "removed", None),
    ("fr", "Claire a créé le groupe « Sociétaires »", "created", "Sociétaires"),
    ("fr", "Luc a rejoint ce groupe via le lien d'invitation", "joined", None),
    ("fr", "Claire a retiré Luc", "removed", None),
    ("it", "Marco ha creato il gruppo “Soci”", "created", "Soci"),
    ("it", "Giulia si è unita tramite il link d'invito", "joined", None),
    ("it", "Marco ha rimosso Giulia", "removed", None),
    ("ru", "Иван создал(а) группу «Пайщики»", "created", "Пайщики"),
    ("ru", "Ольга присоединился(-ась) к группе по ссылке-приглашению", "joined", None),
    ("ru", "Иван удалил(-а) Ольгу", "removed", None),
    ("nl", "Sanne heeft groep 'Leden' aangemaakt", "created", "Leden"),
    ("nl", "Daan neemt deel via de uitnodigingslink van deze groep", "joined", None),
    ("nl", "Sanne heeft Daan verwijderd", "removed", None),
    ("tr", 'Ayşe "Üyeler" grubunu oluşturdu', "created", "Üyeler"),
    ("tr", "Mehmet bu grubun davet bağlantısını kullanarak katıldı", "joined", None),
    ("tr", "Ayşe, Mehmet kişisini çıkardı", "removed", None),
]

# (first line of a file, local time it must give)
LAYOUTS = [
    ("31/12/23 21.05 - A: x", "2023-12-31T21:05:00"),
    ("[31/12/23 21.05.12] A: x", "2023-12-31T21:05:12"),
    ("2024-01-15 14:30 - A: x", "2024-01-15T14:30:00"),
    ("15.01.24, 14:30 - A: x", "2024-01-15T14:30:00"),
    ("1/15/24, 12:05 AM - A: x", "2024-01-15T00:05:00"),
    ("1/15/24, 12:05 p.m. - A: x", "2024-01-15T12:05:00"),
    ("[15/01/2024, 09:05:07] A: x", "2024-01-15T09:05:07"),
    ("15/01/24 pukul 21.05 - A: x", "2024-01-15T21:05:00"),
    ("13.6.2018 klo 21.25.15 - A: x", "2018-06-13T21:25:15"),
    ("13.06.18 21.25.15: A: x", "2018-06-13T21:25:15"),
    ("13. 6. 2018. 21:25:15 A: x", "2018-06-13T21:25:15"),
    ("13.06.2018 21:25 A: x", "2018-06-13T21:25:00"),
    ("[3/6/18 1:55:00 p. m.] A: x", "2018-03-06T13:55:00"),
    ("13/06/2018 à 21:25 - A: x", "2018-06-13T21:25:00"),
    ("[2018/06/13, 21:25:15] A: x", "2018-06-13T21:25:15"),
    ("13-06-2018 21:25 - A: x", "2018-06-13T21:25:00"),
]


def test_every_language_has_a_table_and_a_golden_fixture() -> None:
    codes = [lang.code for lang in LANGUAGES]
    assert codes == ["id", "en", "de", "es", "pt", "fr", "it", "ru", "nl", "tr"]
    named = {"id": "_id_", "en": "_en_", "de": "_de_", "es": "_es_", "pt": "_pt_"}
    named |= {"fr": "_fr_", "it": "_it_", "ru": "_ru", "nl": "_nl_", "tr": "_tr"}
    stems = [p.stem for p in CHATS.glob("*.txt")]
    for code in codes:
        assert any(named[code] in stem for stem in stems), code
    assert {code for code, *_ in PLACEHOLDERS} == set(codes)
    assert {code for code, *_ in SYSTEM_LINES} == set(codes)


@pytest.mark.parametrize(("lang", "text", "kind", "caption"), PLACEHOLDERS)
def test_placeholder_in_every_language(lang: str, text: str, kind: str, caption: str) -> None:
    assert whatsapp.placeholder(text) == (kind, caption)


@pytest.mark.parametrize("text", MEMBER_TEXTS)
def test_members_words_are_no_placeholder(text: str) -> None:
    assert whatsapp.placeholder(text) is None


@pytest.mark.parametrize(("lang", "line", "event", "name"), SYSTEM_LINES)
def test_system_line_in_every_language(lang: str, line: str, event: str, name: str | None):
    assert system_event(line) == event
    if name is not None:
        assert quoted_name(line) == name


@pytest.mark.parametrize(("line", "local"), LAYOUTS)
def test_every_layout(db, tmp_path, line: str, local: str) -> None:
    path = tmp_path / "chat.txt"
    path.write_text(line + "\n", encoding="utf-8")
    summary = whatsapp.import_chat(db, path)
    assert (summary["first"], summary["messages"]) == (local, 1)
    assert whatsapp.sniff(line + "\n")


def test_layout_is_the_shape_most_lines_have(db, tmp_path) -> None:
    """A pasted line in another layout (here as the second line) does not change the file's."""
    lines = ["31/12/23 21.00 - Budi: Jadwal dari grup lain:", "[01/01/24 09.00.00] Ani: catatan"]
    lines += [f"31/12/23 21.{i:02d} - Siti: pesan {i}" for i in range(1, 9)]
    path = tmp_path / "chat.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    summary = whatsapp.import_chat(db, path)
    assert (summary["messages"], summary["senders"]) == (9, 2)


def test_ambiguous_order_is_reported_in_the_summary(db) -> None:
    summary = whatsapp.import_chat(db, CHATS / "android_en_ambiguous_month_first.txt")
    [note] = summary["notes"]
    assert "month-first" in note["template"]
    assert note["values"]["example"] == "1/5/24" and note["values"]["date"] == "2024-01-05"
    from citra.i18n import translate

    shown = translate(note["template"], "id", **note["values"])
    assert "bulan" in shown and "1/5/24" in shown


def test_group_signature_is_no_sender(db) -> None:
    whatsapp.import_chat(db, CHATS / "ios_id_documents_calls.txt")
    names = {row[0] for row in db.execute("SELECT name FROM chat_senders")}
    assert names == {"Dewi", "Rudi"}
    assert [r[0] for r in db.execute("SELECT name FROM chat_groups")] == ["Anggota KSP Sejahtera"]


def test_explicit_group_name_wins(db) -> None:
    summary = whatsapp.import_chat(db, CHATS / "android_id_media_captions.txt", group="Pengurus")
    assert summary["group"] == "Pengurus"


def test_zip_with_group_name_inside(db, tmp_path) -> None:
    archive = tmp_path / "WhatsApp Chat - Lama.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.write(CHATS / "android_de_24h.txt", "WhatsApp Chat mit Lama.txt")
    assert whatsapp.import_chat(db, archive)["group"] == "KSP Sejahtera Mitglieder"


def test_unreadable_layout_through_the_importer(db) -> None:
    with pytest.raises(Rejected) as caught:
        import_path(db, CHATS / "unreadable_month_names.txt")
    message = str(caught.value)
    assert "looks like a WhatsApp export in a layout Citra does not read" in message
    assert "15 Jan 2024 14:30" in message
    shown = caught.value.describe("id")
    assert "WhatsApp" in shown and shown != message


def test_unreadable_layout_named_directly(db) -> None:
    with pytest.raises(CitraError, match="looks like a WhatsApp export"):
        whatsapp.import_chat(db, CHATS / "unreadable_month_names.txt")


@pytest.mark.parametrize(
    "head",
    [
        "Name,Phone\nBudi,0812\n",
        "date,text\n2024-01-01,halo\n",
        "Catatan rapat: 15 Jan 2024\nHadir: Budi, Siti\n",
        "",
    ],
)
def test_other_files_do_not_look_like_a_chat(head: str) -> None:
    assert whatsapp.unreadable_start(head) is None


def test_cli_says_how_ambiguous_dates_were_read(db_path) -> None:
    from click.testing import CliRunner

    from citra.cli import cli

    result = CliRunner().invoke(
        cli, ["members", "import-chat", str(CHATS / "android_en_ambiguous_month_first.txt")]
    )
    assert result.exit_code == 0, result.output
    assert "Citra read them month-first" in result.output
