"""Uzbek widget texts (Latin script).

Uzbek puts the verb last, so the "joined" notice keeps the whole predicate in the verb
keys and leaves ``INFO_SUPPORT_USER_ADDED_COMPLEMENT`` empty (the widget appends it last).
"""

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Xabaringizni yozing…",
    "LABEL_START_NW_CONV": "Yangi suhbat",
    "LABEL_FIRST_MSG": (
        "Sizga nima kerakligini qisqacha yozing, mutaxassisimiz tez orada javob beradi."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Hozir hech bir mutaxassisimiz onlayn emas, lekin savolingizni shu yerda "
        "qoldirishingiz mumkin. Qo'llab-quvvatlash jamoamiz imkon qadar tez javob beradi."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Hozir ish vaqtimiz tugagan, lekin savolingizni shu yerda qoldirishingiz mumkin. "
        "Qo'llab-quvvatlash jamoamiz ishga qaytishi bilan javob beradi."
    ),
    "LABEL_WHATSAPP": "Bizga yozing",
    "LABEL_SELECT_TOPIC": "Mavzuni tanlang",
    "LABEL_COMPLETE_FORM": ("Bo'sh mutaxassis bilan suhbatni boshlash uchun shaklni to'ldiring."),
    "LABEL_FIELD_NAME": "Ism",
    "LABEL_ERROR_FIELD_NAME": "Ismingizni kiriting.",
    "LABEL_FIELD_EMAIL": "Elektron pochta",
    "LABEL_ERROR_FIELD_EMAIL": "To'g'ri elektron pochta manzilini kiriting.",
    "LABEL_ERROR_FIELD_REQUIRED": "Bu maydonni to'ldirish shart.",
    "LABEL_WRITING": "yozmoqda…",
    "LABEL_SEND_NEW_MESSAGE": "Yangi xabar yuborish",
    "AGENT_NOT_AVAILABLE": " Oflayn",
    "AGENT_AVAILABLE": " Onlayn",
    "GUEST_LABEL": "Mehmon",
    "ALL_AGENTS_OFFLINE_LABEL": "Hozir hech bir mutaxassisimiz onlayn emas",
    "LABEL_LOADING": "Yuklanmoqda…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Yordam kerakmi?",
    "CALLOUT_MSG_PLACEHOLDER": "Biz bilan suhbatlashish uchun shu yerni bosing!",
    "CUSTOMER_SATISFACTION": "Mijozlar mamnunligi",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Mijozlarga xizmatimizni qanday baholaysiz?",
    "DOWNLOAD_TRANSCRIPT": "Yozishmani yuklab olish",
    "BACK": "Orqaga",
    "CONTINUE": "Davom etish",
    "YOUR_RATING": "Sizning bahoingiz",
    "WRITE_YOUR_OPINION": "Batafsilroq yozing (ixtiyoriy)…",
    "SUBMIT": "Yuborish",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Fikringiz uchun rahmat!",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Bahoingiz qabul qilindi.",
    "ALERT_LEAVE_CHAT": "Haqiqatan ham chatdan chiqmoqchimisiz?",
    "YES": "Ha",
    "NO": "Yo'q",
    "BUTTON_CLOSE_TO_ICON": "Chatni kichraytirish",
    "BUTTON_EDIT_PROFILE": "Profilni tahrirlash",
    "RATE_CHAT": "Chatni baholash",
    "WELCOME_TITLE": "Salom! Tiledesk yordam xizmatiga xush kelibsiz 👋",
    "WELCOME_MSG": "Sizga qanday yordam bera olamiz?",
    "WELCOME": "Xush kelibsiz",
    "OPTIONS": "Sozlamalar",
    "SOUND_OFF": "Ovoz o'chirilgan",
    "SOUND_ON": "Ovoz yoqilgan",
    "LOGOUT": "Chiqish",
    "CLOSE": "Yopish",
    "RESTART": "Qaytadan boshlash",
    "PREV_CONVERSATIONS": "Suhbatlaringiz",
    "YOU": "Siz",
    "SHOW_ALL_CONV": "Hammasini ko'rish",
    "START_A_CONVERSATION": "Suhbatni boshlash",
    "NO_CONVERSATION": "Hozircha suhbatlar yo'q",
    "SEE_PREVIOUS": "Avvalgi suhbatlarni ko'rish",
    "WAITING_TIME_FOUND": "Odatda $reply_time ichida javob beramiz",
    "WAITING_TIME_NOT_FOUND": "Imkon qadar tez javob beramiz",
    "CLOSED": "Yopilgan",
    "CLOSE_CHAT": "Chatni yakunlash",
    "MINIMIZE": "Kichraytirish",
    "MAXIMIZE": "Kattalashtirish",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Siz",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "chatga qo'shildingiz",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "",
    "INFO_SUPPORT_USER_ADDED_VERB": "chatga qo'shildi",
    "INFO_SUPPORT_CHAT_REOPENED": "Chat qayta ochildi",
    "INFO_SUPPORT_CHAT_CLOSED": "Chat yopildi",
    "INFO_SUPPORT_LEAD_UPDATED": "Kontakt ma'lumotlari yangilandi",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "chatdan chiqdi",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "suhbatni tark etdi",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": (
        "Sizga yangi yordam so'rovi biriktirildi"
    ),
    "LABEL_PRECHAT_USER_FULLNAME": "Ism va familiya",
    "LABEL_PRECHAT_USER_EMAIL": "Elektron pochta manzili",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Bu elektron pochta manzili noto'g'ri ko'rinadi",
    "LABEL_PRECHAT_USER_PHONE": "Telefon raqami",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Telefon raqamingizni kiriting",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Yordam jamoamizga xabaringiz",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Boshlashdan oldin Foydalanish shartlari va Maxfiylik siyosatimiz bilan tanishib, "
        "ularni qabul qiling."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "Roziman",
    "PRECHAT_REQUIRED_ERROR": "Bu maydonni to'ldiring",
    "LABEL_TODAY": "bugun",
    "LABEL_TOMORROW": "kecha",
    "LABEL_LAST_ACCESS": "oxirgi marta onlayn",
    "LABEL_TO": "soat",
    "ARRAY_DAYS": [
        "yakshanba",
        "dushanba",
        "seshanba",
        "chorshanba",
        "payshanba",
        "juma",
        "shanba",
    ],
    "SENT_AN_ATTACHMENT": "fayl yubordi",
    "SENT_AN_IMAGE": "rasm yubordi",
    "LABEL_PREVIEW": "Oldindan ko'rish",
    "SWITCH_TO": "Yoki bu yerda davom eting:",
}
