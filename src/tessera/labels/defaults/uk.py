"""Ukrainian widget texts."""

# ruff: noqa: RUF001 (letters of this alphabet look like Latin ones: that is the language)

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Введіть повідомлення…",
    "LABEL_START_NW_CONV": "Нова розмова",
    "LABEL_FIRST_MSG": (
        "Коротко опишіть, що вам потрібно, і один із наших фахівців незабаром вам відповість."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Зараз жодного фахівця немає в мережі, але ви можете залишити своє запитання тут. "
        "Наша служба підтримки відповість вам якнайшвидше."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Зараз неробочий час, але ви можете залишити своє запитання тут. "
        "Наша служба підтримки відповість вам, щойно ми повернемося."
    ),
    "LABEL_WHATSAPP": "Напишіть нам",
    "LABEL_SELECT_TOPIC": "Оберіть тему",
    "LABEL_COMPLETE_FORM": ("Заповніть форму, щоб почати чат із першим вільним фахівцем."),
    "LABEL_FIELD_NAME": "Ім'я",
    "LABEL_ERROR_FIELD_NAME": "Будь ласка, вкажіть своє ім'я.",
    "LABEL_FIELD_EMAIL": "Ел. пошта",
    "LABEL_ERROR_FIELD_EMAIL": "Будь ласка, вкажіть дійсну адресу ел. пошти.",
    "LABEL_ERROR_FIELD_REQUIRED": "Це поле обов'язкове.",
    "LABEL_WRITING": "пише…",
    "LABEL_SEND_NEW_MESSAGE": "Надіслати нове повідомлення",
    "AGENT_NOT_AVAILABLE": " Не в мережі",
    "AGENT_AVAILABLE": " У мережі",
    "GUEST_LABEL": "Гість",
    "ALL_AGENTS_OFFLINE_LABEL": "Зараз жодного фахівця немає в мережі",
    "LABEL_LOADING": "Завантаження…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Потрібна допомога?",
    "CALLOUT_MSG_PLACEHOLDER": "Натисніть тут, щоб написати нам!",
    "CUSTOMER_SATISFACTION": "Задоволеність клієнтів",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Як ви оцінюєте нашу службу підтримки?",
    "DOWNLOAD_TRANSCRIPT": "Завантажити листування",
    "BACK": "Назад",
    "CONTINUE": "Продовжити",
    "YOUR_RATING": "Ваша оцінка",
    "WRITE_YOUR_OPINION": "Розкажіть докладніше (необов'язково)…",
    "SUBMIT": "Надіслати",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Дякуємо за ваш відгук!",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Ми отримали вашу оцінку.",
    "ALERT_LEAVE_CHAT": "Ви справді хочете вийти з чату?",
    "YES": "Так",
    "NO": "Ні",
    "BUTTON_CLOSE_TO_ICON": "Згорнути чат",
    "BUTTON_EDIT_PROFILE": "Змінити профіль",
    "RATE_CHAT": "Оцінити чат",
    "WELCOME_TITLE": "Вітаємо, ласкаво просимо до Tiledesk 👋",
    "WELCOME_MSG": "Чим ми можемо допомогти?",
    "WELCOME": "Ласкаво просимо",
    "OPTIONS": "Налаштування",
    "SOUND_OFF": "Звук вимкнено",
    "SOUND_ON": "Звук увімкнено",
    "LOGOUT": "Вийти",
    "CLOSE": "Закрити",
    "RESTART": "Почати спочатку",
    "PREV_CONVERSATIONS": "Ваші розмови",
    "YOU": "Ви",
    "SHOW_ALL_CONV": "Показати всі",
    "START_A_CONVERSATION": "Почати розмову",
    "NO_CONVERSATION": "Розмов поки немає",
    "SEE_PREVIOUS": "Показати попередні розмови",
    "WAITING_TIME_FOUND": "Зазвичай ми відповідаємо протягом $reply_time",
    "WAITING_TIME_NOT_FOUND": "Ми відповімо вам якнайшвидше",
    "CLOSED": "Закрито",
    "CLOSE_CHAT": "Завершити чат",
    "MINIMIZE": "Згорнути",
    "MAXIMIZE": "Розгорнути",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Ви",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "тепер берете участь",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "у чаті",
    "INFO_SUPPORT_USER_ADDED_VERB": "тепер бере участь",
    "INFO_SUPPORT_CHAT_REOPENED": "Чат знову відкрито",
    "INFO_SUPPORT_CHAT_CLOSED": "Чат закрито",
    "INFO_SUPPORT_LEAD_UPDATED": "Дані контакту оновлено",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "залишає чат",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "вийшов(ла) з розмови",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": (
        "Вам призначено новий запит до підтримки"
    ),
    "LABEL_PRECHAT_USER_FULLNAME": "Ім'я та прізвище",
    "LABEL_PRECHAT_USER_EMAIL": "Адреса ел. пошти",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Схоже, адресу ел. пошти вказано неправильно",
    "LABEL_PRECHAT_USER_PHONE": "Номер телефону",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Будь ласка, вкажіть номер телефону",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Ваше повідомлення для служби підтримки",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Перш ніж почати, будь ласка, ознайомтеся з нашими Умовами використання та "
        "Політикою конфіденційності й погодьтеся з ними."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "Я погоджуюся",
    "PRECHAT_REQUIRED_ERROR": "Заповніть це поле",
    "LABEL_TODAY": "сьогодні",
    "LABEL_TOMORROW": "учора",
    "LABEL_LAST_ACCESS": "був(ла) у мережі",
    "LABEL_TO": "о",
    "ARRAY_DAYS": ["неділя", "понеділок", "вівторок", "середа", "четвер", "п'ятниця", "субота"],
    "SENT_AN_ATTACHMENT": "надсилає вкладення",
    "SENT_AN_IMAGE": "надсилає зображення",
    "LABEL_PREVIEW": "Попередній перегляд",
    "SWITCH_TO": "Або продовжте в:",
}
