"""German widget texts."""

# ruff: noqa: RUF001 (the typographic dash is intended)

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Nachricht eingeben…",
    "LABEL_START_NW_CONV": "Neue Unterhaltung",
    "LABEL_FIRST_MSG": (
        "Beschreiben Sie kurz Ihr Anliegen – einer "
        "unserer Mitarbeiter meldet sich gleich bei Ihnen."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Gerade ist niemand aus unserem Team online, aber Sie können Ihre Frage trotzdem "
        "hinterlassen. Unser Support-Team antwortet Ihnen so bald wie möglich."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Wir sind gerade außerhalb unserer Geschäftszeiten, aber Sie können Ihre Frage "
        "trotzdem hinterlassen. Unser Support-Team antwortet Ihnen, sobald wir wieder da sind."
    ),
    "LABEL_WHATSAPP": "Schreiben Sie uns",
    "LABEL_SELECT_TOPIC": "Thema auswählen",
    "LABEL_COMPLETE_FORM": (
        "Füllen Sie das Formular aus, um mit dem nächsten freien Mitarbeiter zu chatten."
    ),
    "LABEL_FIELD_NAME": "Name",
    "LABEL_ERROR_FIELD_NAME": "Bitte geben Sie Ihren Namen ein.",
    "LABEL_FIELD_EMAIL": "E-Mail",
    "LABEL_ERROR_FIELD_EMAIL": "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
    "LABEL_ERROR_FIELD_REQUIRED": "Dies ist ein Pflichtfeld.",
    "LABEL_WRITING": "schreibt…",
    "LABEL_SEND_NEW_MESSAGE": "Neue Nachricht senden",
    "AGENT_NOT_AVAILABLE": " Offline",
    "AGENT_AVAILABLE": " Online",
    "GUEST_LABEL": "Gast",
    "ALL_AGENTS_OFFLINE_LABEL": "Gerade ist niemand aus unserem Team online",
    "LABEL_LOADING": "Wird geladen…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Können wir helfen?",
    "CALLOUT_MSG_PLACEHOLDER": "Klicken Sie hier, um mit uns zu chatten!",
    "CUSTOMER_SATISFACTION": "Kundenzufriedenheit",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Wie bewerten Sie unseren Kundenservice?",
    "DOWNLOAD_TRANSCRIPT": "Verlauf herunterladen",
    "BACK": "Zurück",
    "CONTINUE": "Weiter",
    "YOUR_RATING": "Ihre Bewertung",
    "WRITE_YOUR_OPINION": "Erzählen Sie uns mehr (optional)…",
    "SUBMIT": "Senden",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Vielen Dank für Ihr Feedback!",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Wir haben Ihre Bewertung erhalten.",
    "ALERT_LEAVE_CHAT": "Möchten Sie den Chat wirklich verlassen?",
    "YES": "Ja",
    "NO": "Nein",
    "BUTTON_CLOSE_TO_ICON": "Chat minimieren",
    "BUTTON_EDIT_PROFILE": "Profil bearbeiten",
    "RATE_CHAT": "Chat bewerten",
    "WELCOME_TITLE": "Hallo, willkommen bei Tiledesk 👋",
    "WELCOME_MSG": "Wie können wir Ihnen heute helfen?",
    "WELCOME": "Willkommen",
    "OPTIONS": "Optionen",
    "SOUND_OFF": "Ton aus",
    "SOUND_ON": "Ton an",
    "LOGOUT": "Abmelden",
    "CLOSE": "Schließen",
    "RESTART": "Neu beginnen",
    "PREV_CONVERSATIONS": "Ihre Unterhaltungen",
    "YOU": "Sie",
    "SHOW_ALL_CONV": "Alle anzeigen",
    "START_A_CONVERSATION": "Unterhaltung beginnen",
    "NO_CONVERSATION": "Noch keine Unterhaltungen",
    "SEE_PREVIOUS": "Frühere Unterhaltungen anzeigen",
    "WAITING_TIME_FOUND": "Wir antworten normalerweise innerhalb von $reply_time",
    "WAITING_TIME_NOT_FOUND": "Wir melden uns so bald wie möglich bei Ihnen",
    "CLOSED": "Geschlossen",
    "CLOSE_CHAT": "Chat beenden",
    "MINIMIZE": "Minimieren",
    "MAXIMIZE": "Maximieren",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Sie",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "sind jetzt",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "im Chat",
    "INFO_SUPPORT_USER_ADDED_VERB": "ist jetzt",
    "INFO_SUPPORT_CHAT_REOPENED": "Der Chat wurde wieder geöffnet",
    "INFO_SUPPORT_CHAT_CLOSED": "Der Chat wurde geschlossen",
    "INFO_SUPPORT_LEAD_UPDATED": "Kontaktdaten aktualisiert",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "hat den Chat verlassen",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "hat die Unterhaltung verlassen",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": (
        "Ihnen wurde eine neue Support-Anfrage zugewiesen"
    ),
    "LABEL_PRECHAT_USER_FULLNAME": "Vollständiger Name",
    "LABEL_PRECHAT_USER_EMAIL": "E-Mail-Adresse",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Diese E-Mail-Adresse scheint ungültig zu sein",
    "LABEL_PRECHAT_USER_PHONE": "Telefonnummer",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Bitte geben Sie Ihre Telefonnummer ein",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Ihre Nachricht an unser Support-Team",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Bevor es losgeht, lesen und akzeptieren Sie bitte unsere Nutzungsbedingungen und "
        "unsere Datenschutzerklärung."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "Ich stimme zu",
    "PRECHAT_REQUIRED_ERROR": "Bitte füllen Sie dieses Feld aus",
    "LABEL_TODAY": "heute",
    "LABEL_TOMORROW": "gestern",
    "LABEL_LAST_ACCESS": "zuletzt online",
    "LABEL_TO": "um",
    "ARRAY_DAYS": [
        "Sonntag",
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
    ],
    "SENT_AN_ATTACHMENT": "hat einen Anhang gesendet",
    "SENT_AN_IMAGE": "hat ein Bild gesendet",
    "LABEL_PREVIEW": "Vorschau",
    "SWITCH_TO": "Oder weiter über:",
}
