"""Turkish widget texts.

Turkish puts the verb last, so the "joined" notice keeps the whole predicate in the verb
keys and leaves ``INFO_SUPPORT_USER_ADDED_COMPLEMENT`` empty (the widget appends it last).
"""

# ruff: noqa: RUF001 (letters of this alphabet look like Latin ones: that is the language)

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Mesajınızı yazın…",
    "LABEL_START_NW_CONV": "Yeni sohbet",
    "LABEL_FIRST_MSG": (
        "Neye ihtiyacınız olduğunu kısaca yazın, temsilcilerimizden biri birazdan size yanıt "
        "verecek."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Şu anda çevrimiçi temsilcimiz yok, ancak sorunuzu buraya bırakabilirsiniz. "
        "Destek ekibimiz size en kısa sürede yanıt verecek."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Şu anda çalışma saatlerimizin dışındayız, ancak sorunuzu buraya bırakabilirsiniz. "
        "Destek ekibimiz döner dönmez size yanıt verecek."
    ),
    "LABEL_WHATSAPP": "Bize yazın",
    "LABEL_SELECT_TOPIC": "Bir konu seçin",
    "LABEL_COMPLETE_FORM": ("Uygun olan ilk temsilcimizle sohbet etmek için formu doldurun."),
    "LABEL_FIELD_NAME": "Ad",
    "LABEL_ERROR_FIELD_NAME": "Lütfen adınızı yazın.",
    "LABEL_FIELD_EMAIL": "E-posta",
    "LABEL_ERROR_FIELD_EMAIL": "Lütfen geçerli bir e-posta adresi girin.",
    "LABEL_ERROR_FIELD_REQUIRED": "Bu alan zorunludur.",
    "LABEL_WRITING": "yazıyor…",
    "LABEL_SEND_NEW_MESSAGE": "Yeni mesaj gönder",
    "AGENT_NOT_AVAILABLE": " Çevrimdışı",
    "AGENT_AVAILABLE": " Çevrimiçi",
    "GUEST_LABEL": "Ziyaretçi",
    "ALL_AGENTS_OFFLINE_LABEL": "Şu anda çevrimiçi temsilcimiz yok",
    "LABEL_LOADING": "Yükleniyor…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Yardım ister misiniz?",
    "CALLOUT_MSG_PLACEHOLDER": "Bizimle sohbet etmek için buraya tıklayın!",
    "CUSTOMER_SATISFACTION": "Müşteri memnuniyeti",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Müşteri hizmetlerimizi nasıl değerlendirirsiniz?",
    "DOWNLOAD_TRANSCRIPT": "Sohbet dökümünü indir",
    "BACK": "Geri",
    "CONTINUE": "Devam",
    "YOUR_RATING": "Puanınız",
    "WRITE_YOUR_OPINION": "Biraz daha anlatın (isteğe bağlı)…",
    "SUBMIT": "Gönder",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Geri bildiriminiz için teşekkürler!",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Puanınızı aldık.",
    "ALERT_LEAVE_CHAT": "Sohbetten gerçekten ayrılmak istiyor musunuz?",
    "YES": "Evet",
    "NO": "Hayır",
    "BUTTON_CLOSE_TO_ICON": "Sohbeti küçült",
    "BUTTON_EDIT_PROFILE": "Profili düzenle",
    "RATE_CHAT": "Bu sohbeti değerlendir",
    "WELCOME_TITLE": "Merhaba, Tiledesk desteğine hoş geldiniz 👋",
    "WELCOME_MSG": "Bugün size nasıl yardımcı olabiliriz?",
    "WELCOME": "Hoş geldiniz",
    "OPTIONS": "Seçenekler",
    "SOUND_OFF": "Ses kapalı",
    "SOUND_ON": "Ses açık",
    "LOGOUT": "Oturumu kapat",
    "CLOSE": "Kapat",
    "RESTART": "Baştan başla",
    "PREV_CONVERSATIONS": "Sohbetleriniz",
    "YOU": "Siz",
    "SHOW_ALL_CONV": "Tümünü gör",
    "START_A_CONVERSATION": "Sohbet başlat",
    "NO_CONVERSATION": "Henüz sohbet yok",
    "SEE_PREVIOUS": "Önceki sohbetleri gör",
    "WAITING_TIME_FOUND": "Genellikle $reply_time içinde yanıt veriyoruz",
    "WAITING_TIME_NOT_FOUND": "Size en kısa sürede yanıt vereceğiz",
    "CLOSED": "Kapalı",
    "CLOSE_CHAT": "Sohbeti bitir",
    "MINIMIZE": "Küçült",
    "MAXIMIZE": "Büyüt",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Siz",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "sohbete eklendiniz",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "",
    "INFO_SUPPORT_USER_ADDED_VERB": "sohbete katıldı",
    "INFO_SUPPORT_CHAT_REOPENED": "Sohbet yeniden açıldı",
    "INFO_SUPPORT_CHAT_CLOSED": "Sohbet kapatıldı",
    "INFO_SUPPORT_LEAD_UPDATED": "Kişi bilgileri güncellendi",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "sohbetten ayrıldı",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "görüşmeden çıktı",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": "Size yeni bir destek talebi atandı",
    "LABEL_PRECHAT_USER_FULLNAME": "Ad soyad",
    "LABEL_PRECHAT_USER_EMAIL": "E-posta adresi",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Bu e-posta adresi geçerli görünmüyor",
    "LABEL_PRECHAT_USER_PHONE": "Telefon numarası",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Lütfen telefon numaranızı yazın",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Destek ekibimize mesajınız",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Başlamadan önce lütfen Hizmet Koşullarımızı ve Gizlilik Politikamızı okuyup kabul edin."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "Kabul ediyorum",
    "PRECHAT_REQUIRED_ERROR": "Lütfen bu alanı doldurun",
    "LABEL_TODAY": "bugün",
    "LABEL_TOMORROW": "dün",
    "LABEL_LAST_ACCESS": "son görülme",
    "LABEL_TO": "saat",
    "ARRAY_DAYS": ["Pazar", "Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi"],
    "SENT_AN_ATTACHMENT": "bir ek gönderdi",
    "SENT_AN_IMAGE": "bir görsel gönderdi",
    "LABEL_PREVIEW": "Önizleme",
    "SWITCH_TO": "Ya da şuradan devam edin:",
}
