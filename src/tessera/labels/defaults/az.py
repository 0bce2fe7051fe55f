"""Azerbaijani widget texts (Latin script).

Azerbaijani puts the verb last, so the "joined" notice keeps the whole predicate in the
verb keys and leaves ``INFO_SUPPORT_USER_ADDED_COMPLEMENT`` empty (the widget appends it
last).
"""

# ruff: noqa: RUF001 (letters of this alphabet look like Latin ones: that is the language)

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Mesajınızı yazın…",
    "LABEL_START_NW_CONV": "Yeni söhbət",
    "LABEL_FIRST_MSG": (
        "Nəyə ehtiyacınız olduğunu qısaca yazın, əməkdaşlarımızdan biri tezliklə cavab verəcək."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Hazırda heç bir əməkdaşımız onlayn deyil, amma sualınızı burada qoya bilərsiniz. "
        "Dəstək komandamız sizə mümkün qədər tez cavab verəcək."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Hazırda iş saatlarımızdan kənardayıq, amma sualınızı burada qoya bilərsiniz. "
        "Dəstək komandamız qayıdan kimi sizə cavab verəcək."
    ),
    "LABEL_WHATSAPP": "Bizə yazın",
    "LABEL_SELECT_TOPIC": "Mövzu seçin",
    "LABEL_COMPLETE_FORM": ("Növbəti boş əməkdaşla söhbətə başlamaq üçün formu doldurun."),
    "LABEL_FIELD_NAME": "Ad",
    "LABEL_ERROR_FIELD_NAME": "Adınızı daxil edin.",
    "LABEL_FIELD_EMAIL": "E-poçt",
    "LABEL_ERROR_FIELD_EMAIL": "Düzgün e-poçt ünvanı daxil edin.",
    "LABEL_ERROR_FIELD_REQUIRED": "Bu sahə mütləqdir.",
    "LABEL_WRITING": "yazır…",
    "LABEL_SEND_NEW_MESSAGE": "Yeni mesaj göndər",
    "AGENT_NOT_AVAILABLE": " Oflayn",
    "AGENT_AVAILABLE": " Onlayn",
    "GUEST_LABEL": "Qonaq",
    "ALL_AGENTS_OFFLINE_LABEL": "Hazırda heç bir əməkdaşımız onlayn deyil",
    "LABEL_LOADING": "Yüklənir…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Köməyə ehtiyacınız var?",
    "CALLOUT_MSG_PLACEHOLDER": "Bizimlə söhbət etmək üçün bura klikləyin!",
    "CUSTOMER_SATISFACTION": "Müştəri məmnunluğu",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Müştəri xidmətimizi necə qiymətləndirirsiniz?",
    "DOWNLOAD_TRANSCRIPT": "Yazışmanı endir",
    "BACK": "Geri",
    "CONTINUE": "Davam et",
    "YOUR_RATING": "Qiymətiniz",
    "WRITE_YOUR_OPINION": "Bir az ətraflı yazın (istəyə bağlı)…",
    "SUBMIT": "Göndər",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Rəyiniz üçün təşəkkür edirik!",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Qiymətinizi aldıq.",
    "ALERT_LEAVE_CHAT": "Söhbətdən həqiqətən çıxmaq istəyirsiniz?",
    "YES": "Bəli",
    "NO": "Xeyr",
    "BUTTON_CLOSE_TO_ICON": "Söhbəti kiçilt",
    "BUTTON_EDIT_PROFILE": "Profili redaktə et",
    "RATE_CHAT": "Söhbəti qiymətləndir",
    "WELCOME_TITLE": "Salam! Tiledesk dəstək xidmətinə xoş gəlmisiniz 👋",
    "WELCOME_MSG": "Sizə necə kömək edə bilərik?",
    "WELCOME": "Xoş gəlmisiniz",
    "OPTIONS": "Seçimlər",
    "SOUND_OFF": "Səs söndürülüb",
    "SOUND_ON": "Səs açıqdır",
    "LOGOUT": "Çıxış",
    "CLOSE": "Bağla",
    "RESTART": "Yenidən başla",
    "PREV_CONVERSATIONS": "Söhbətləriniz",
    "YOU": "Siz",
    "SHOW_ALL_CONV": "Hamısına bax",
    "START_A_CONVERSATION": "Söhbətə başla",
    "NO_CONVERSATION": "Hələ söhbət yoxdur",
    "SEE_PREVIOUS": "Əvvəlki söhbətlərə bax",
    "WAITING_TIME_FOUND": "Adətən $reply_time ərzində cavab veririk",
    "WAITING_TIME_NOT_FOUND": "Mümkün qədər tez cavab verəcəyik",
    "CLOSED": "Bağlıdır",
    "CLOSE_CHAT": "Söhbəti bitir",
    "MINIMIZE": "Kiçilt",
    "MAXIMIZE": "Böyüt",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Siz",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "söhbətə əlavə olundunuz",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "",
    "INFO_SUPPORT_USER_ADDED_VERB": "söhbətə qoşuldu",
    "INFO_SUPPORT_CHAT_REOPENED": "Söhbət yenidən açıldı",
    "INFO_SUPPORT_CHAT_CLOSED": "Söhbət bağlandı",
    "INFO_SUPPORT_LEAD_UPDATED": "Əlaqə məlumatları yeniləndi",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "söhbətdən çıxdı",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "söhbəti tərk etdi",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": "Sizə yeni dəstək sorğusu təyin edildi",
    "LABEL_PRECHAT_USER_FULLNAME": "Ad və soyad",
    "LABEL_PRECHAT_USER_EMAIL": "E-poçt ünvanı",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Bu e-poçt ünvanı düzgün görünmür",
    "LABEL_PRECHAT_USER_PHONE": "Telefon nömrəsi",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Telefon nömrənizi daxil edin",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Dəstək komandamıza mesajınız",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Başlamazdan əvvəl, lütfən, Xidmət Şərtlərimizi və Məxfilik Siyasətimizi oxuyub qəbul edin."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "Razıyam",
    "PRECHAT_REQUIRED_ERROR": "Bu sahəni doldurun",
    "LABEL_TODAY": "bu gün",
    "LABEL_TOMORROW": "dünən",
    "LABEL_LAST_ACCESS": "sonuncu dəfə onlayn",
    "LABEL_TO": "saat",
    "ARRAY_DAYS": [
        "bazar",
        "bazar ertəsi",
        "çərşənbə axşamı",
        "çərşənbə",
        "cümə axşamı",
        "cümə",
        "şənbə",
    ],
    "SENT_AN_ATTACHMENT": "fayl göndərdi",
    "SENT_AN_IMAGE": "şəkil göndərdi",
    "LABEL_PREVIEW": "Önbaxış",
    "SWITCH_TO": "Və ya burada davam edin:",
}
