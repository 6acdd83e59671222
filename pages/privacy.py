"""Privacy (Privasi): what Citra stores about people, why, for how long, who sees it, and how a
member asks for erasure under UU PDP No. 27/2022. Text only; no data is read."""

from __future__ import annotations

import streamlit as st

from citra import ui

_ = ui.t

st.title(_("Privacy"))
st.caption(
    _(
        "How Citra handles personal data, for members, staff and the board. The cooperative that "
        "runs this Citra is the data controller under Indonesia's Personal Data Protection Law "
        "(UU PDP No. 27/2022)."
    )
)

SECTIONS = [
    (
        "What is stored",
        [
            "Public mentions of the cooperative and its peers: title, text, author, account name, "
            "link, date and engagement, from the news feeds and the exports you import.",
            "The member list: member number, name, join date, status, branch and social media "
            "accounts. Phone numbers are never stored: only a salted hash, which cannot be read "
            "back without the salt file kept outside the database.",
            "Attendance at RATs, meetings and trainings, and the member WhatsApp group's messages "
            "when a chat export is imported. Phone numbers, NIK numbers and e-mail addresses in "
            "messages are masked before they are stored.",
            "The team's own work: sentiment corrections, tags, alert rules and settings.",
            "For the people who log in: their user name, role and a password hash (never the "
            "password), and the audit log of what they changed. While someone is logged in, "
            "their browser keeps one cookie for this Citra only: a random session key, no name "
            "and no tracking; it is gone at logout or when the browser closes.",
        ],
    ),
    (
        "Why",
        [
            "To follow the cooperative's reputation in public media and answer complaints and "
            "rumours early.",
            "To measure members' participation (RAT attendance, questions, proposals) for the "
            "board and the RAT report.",
        ],
    ),
    (
        "For how long",
        [
            "As long as the cooperative keeps them. Any import can be undone from the Sources "
            "page; a member can be erased at any time (below).",
            "To make a member-list import undoable, Citra keeps what the list changed: each "
            "member's details as they were before it (phone numbers only as salted hashes), "
            "until that import is undone or the member is erased.",
            "Backups hold what the database held on their day: keep them as private as the "
            "database, and delete old ones by the same schedule.",
        ],
    ),
    (
        "Who sees it",
        [
            "Only people who can open this Citra on the cooperative's own server; once users "
            "are added, everyone logs in with one of three roles. Viewers (the board, the supervisors) see totals, "
            "mentions and reports, but no member names or messages. Editors (the "
            "communications team) also see member names and the WhatsApp messages, and import, "
            "correct and tag. Administrators also change the settings, the users, erasure and "
            "backups.",
            "The ambassadors list on the Narratives & plan page (members who shared the "
            "cooperative's news) shows member numbers, names and links to editors and "
            "administrators only; viewers see branches and counts.",
            "Nothing is sent to other companies, except the alerts and reports your team sets up "
            "(e-mail, Telegram, Slack, webhooks). The pages load nothing from other servers.",
            "The database, its backups and the reports Citra writes are files only their owner "
            "on the server can read.",
        ],
    ),
    (
        "How to ask for erasure",
        [
            "A member may ask the cooperative to erase their personal data (UU PDP No. 27/2022, "
            "the right to erasure). Ask the management or the person who runs Citra.",
            "An administrator runs `citra members forget MEMBER_NO`. It removes the member, "
            "their phone hashes, accounts, attendance, their chat messages and the chat notices "
            "naming them, their name in other messages, their own public posts with the original "
            "records, their shares and their place in the ambassadors lists, and the words of "
            "all these from the search index, and it says what it removed.",
            "A later import of the member list, of an old chat export or of an old mention "
            "export does not bring the member or their posts back: only salted hashes of their "
            "member number and accounts are kept for that.",
        ],
    ),
]

for heading, points in SECTIONS:
    st.subheader(_(heading))
    st.markdown("\n".join(f"- {_(point)}" for point in points))
