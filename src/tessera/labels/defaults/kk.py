"""Kazakh widget texts (Cyrillic script).

Kazakh puts the verb last, so the "joined" notice keeps the whole predicate in the verb
keys and leaves ``INFO_SUPPORT_USER_ADDED_COMPLEMENT`` empty (the widget appends it last).
"""

# ruff: noqa: RUF001 (letters of this alphabet look like Latin ones: that is the language)

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Хабарламаңызды жазыңыз…",
    "LABEL_START_NW_CONV": "Жаңа сөйлесу",
    "LABEL_FIRST_MSG": (
        "Не қажет екенін қысқаша жазыңыз, біздің маманымыз жақын арада жауап береді."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Қазір желіде бірде-бір маман жоқ, бірақ сұрағыңызды осында қалдыра аласыз. "
        "Қолдау қызметіміз сізге мүмкіндігінше тез жауап береді."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Қазір жұмыс уақытынан тыс, бірақ сұрағыңызды осында қалдыра аласыз. "
        "Қолдау қызметіміз жұмысқа оралған бойда жауап береді."
    ),
    "LABEL_WHATSAPP": "Бізге жазыңыз",
    "LABEL_SELECT_TOPIC": "Тақырыпты таңдаңыз",
    "LABEL_COMPLETE_FORM": ("Бос маманмен сөйлесуді бастау үшін пішінді толтырыңыз."),
    "LABEL_FIELD_NAME": "Аты",
    "LABEL_ERROR_FIELD_NAME": "Атыңызды енгізіңіз.",
    "LABEL_FIELD_EMAIL": "Электрондық пошта",
    "LABEL_ERROR_FIELD_EMAIL": "Дұрыс электрондық пошта мекенжайын енгізіңіз.",
    "LABEL_ERROR_FIELD_REQUIRED": "Бұл өрісті толтыру міндетті.",
    "LABEL_WRITING": "жазып жатыр…",
    "LABEL_SEND_NEW_MESSAGE": "Жаңа хабарлама жіберу",
    "AGENT_NOT_AVAILABLE": " Желіде емес",
    "AGENT_AVAILABLE": " Желіде",
    "GUEST_LABEL": "Қонақ",
    "ALL_AGENTS_OFFLINE_LABEL": "Қазір желіде бірде-бір маман жоқ",
    "LABEL_LOADING": "Жүктелуде…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Көмек керек пе?",
    "CALLOUT_MSG_PLACEHOLDER": "Бізбен сөйлесу үшін осы жерді басыңыз!",
    "CUSTOMER_SATISFACTION": "Клиенттердің қанағаттануы",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Біздің қолдау қызметін қалай бағалайсыз?",
    "DOWNLOAD_TRANSCRIPT": "Хат алмасуды жүктеп алу",
    "BACK": "Артқа",
    "CONTINUE": "Жалғастыру",
    "YOUR_RATING": "Сіздің бағаңыз",
    "WRITE_YOUR_OPINION": "Толығырақ жазыңыз (міндетті емес)…",
    "SUBMIT": "Жіберу",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Пікіріңіз үшін рақмет!",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Бағаңыз қабылданды.",
    "ALERT_LEAVE_CHAT": "Чаттан шынымен шыққыңыз келе ме?",
    "YES": "Иә",
    "NO": "Жоқ",
    "BUTTON_CLOSE_TO_ICON": "Чатты кішірейту",
    "BUTTON_EDIT_PROFILE": "Профильді өңдеу",
    "RATE_CHAT": "Чатты бағалау",
    "WELCOME_TITLE": "Сәлеметсіз бе! Tiledesk қолдау қызметіне қош келдіңіз 👋",
    "WELCOME_MSG": "Сізге қалай көмектесе аламыз?",
    "WELCOME": "Қош келдіңіз",
    "OPTIONS": "Баптаулар",
    "SOUND_OFF": "Дыбыс өшірулі",
    "SOUND_ON": "Дыбыс қосулы",
    "LOGOUT": "Шығу",
    "CLOSE": "Жабу",
    "RESTART": "Қайта бастау",
    "PREV_CONVERSATIONS": "Сіздің сөйлесулеріңіз",
    "YOU": "Сіз",
    "SHOW_ALL_CONV": "Барлығын көрсету",
    "START_A_CONVERSATION": "Сөйлесуді бастау",
    "NO_CONVERSATION": "Әзірге сөйлесулер жоқ",
    "SEE_PREVIOUS": "Бұрынғы сөйлесулерді көрсету",
    "WAITING_TIME_FOUND": "Әдетте $reply_time ішінде жауап береміз",
    "WAITING_TIME_NOT_FOUND": "Мүмкіндігінше тез жауап береміз",
    "CLOSED": "Жабық",
    "CLOSE_CHAT": "Чатты аяқтау",
    "MINIMIZE": "Кішірейту",
    "MAXIMIZE": "Үлкейту",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Сіз",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "чатқа қосылдыңыз",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "",
    "INFO_SUPPORT_USER_ADDED_VERB": "чатқа қосылды",
    "INFO_SUPPORT_CHAT_REOPENED": "Чат қайта ашылды",
    "INFO_SUPPORT_CHAT_CLOSED": "Чат жабылды",
    "INFO_SUPPORT_LEAD_UPDATED": "Байланыс деректері жаңартылды",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "чаттан шықты",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "сөйлесуден кетті",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": "Сізге жаңа қолдау өтініші тағайындалды",
    "LABEL_PRECHAT_USER_FULLNAME": "Аты-жөні",
    "LABEL_PRECHAT_USER_EMAIL": "Электрондық пошта мекенжайы",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Бұл электрондық пошта мекенжайы дұрыс емес сияқты",
    "LABEL_PRECHAT_USER_PHONE": "Телефон нөмірі",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Телефон нөміріңізді енгізіңіз",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Қолдау қызметіне хабарламаңыз",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Бастамас бұрын Қызмет көрсету шарттарымен және Құпиялылық саясатымен танысып, "
        "оларды қабылдаңыз."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "Келісемін",
    "PRECHAT_REQUIRED_ERROR": "Бұл өрісті толтырыңыз",
    "LABEL_TODAY": "бүгін",
    "LABEL_TOMORROW": "кеше",
    "LABEL_LAST_ACCESS": "соңғы рет желіде",
    "LABEL_TO": "сағат",
    "ARRAY_DAYS": ["жексенбі", "дүйсенбі", "сейсенбі", "сәрсенбі", "бейсенбі", "жұма", "сенбі"],
    "SENT_AN_ATTACHMENT": "файл жіберді",
    "SENT_AN_IMAGE": "сурет жіберді",
    "LABEL_PREVIEW": "Алдын ала қарау",
    "SWITCH_TO": "Немесе мұнда жалғастырыңыз:",
}
