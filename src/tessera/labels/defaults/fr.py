"""French widget texts."""

from tessera.labels.defaults.types import Texts

TEXTS: Texts = {
    "LABEL_PLACEHOLDER": "Écrivez votre message…",
    "LABEL_START_NW_CONV": "Nouvelle conversation",
    "LABEL_FIRST_MSG": (
        "Dites-nous en quelques mots ce dont vous avez besoin : un de nos conseillers "
        "vous répondra sous peu."
    ),
    "LABEL_FIRST_MSG_NO_AGENTS": (
        "🤔 Aucun conseiller n'est en ligne pour le moment, mais vous pouvez laisser votre "
        "question ici. Notre équipe d'assistance vous répondra dès que possible."
    ),
    "LABEL_FIRST_MSG_OPERATING_HOURS_CLOSED": (
        "🤔 Nous sommes actuellement en dehors de nos heures d'ouverture, mais vous pouvez "
        "laisser votre question ici. Notre équipe vous répondra dès son retour."
    ),
    "LABEL_WHATSAPP": "Écrivez-nous",
    "LABEL_SELECT_TOPIC": "Choisissez un sujet",
    "LABEL_COMPLETE_FORM": (
        "Remplissez le formulaire pour discuter avec le premier conseiller disponible."
    ),
    "LABEL_FIELD_NAME": "Nom",
    "LABEL_ERROR_FIELD_NAME": "Veuillez indiquer votre nom.",
    "LABEL_FIELD_EMAIL": "E-mail",
    "LABEL_ERROR_FIELD_EMAIL": "Veuillez saisir une adresse e-mail valide.",
    "LABEL_ERROR_FIELD_REQUIRED": "Ce champ est obligatoire.",
    "LABEL_WRITING": "est en train d'écrire…",
    "LABEL_SEND_NEW_MESSAGE": "Envoyer un nouveau message",
    "AGENT_NOT_AVAILABLE": " Hors ligne",
    "AGENT_AVAILABLE": " En ligne",
    "GUEST_LABEL": "Visiteur",
    "ALL_AGENTS_OFFLINE_LABEL": "Aucun conseiller n'est en ligne pour le moment",
    "LABEL_LOADING": "Chargement…",
    "CALLOUT_TITLE_PLACEHOLDER": "👋 Besoin d'un coup de main ?",
    "CALLOUT_MSG_PLACEHOLDER": "Cliquez ici pour discuter avec nous !",
    "CUSTOMER_SATISFACTION": "Satisfaction client",
    "YOUR_OPINION_ON_OUR_CUSTOMER_SERVICE": "Comment évaluez-vous notre service client ?",
    "DOWNLOAD_TRANSCRIPT": "Télécharger la transcription",
    "BACK": "Retour",
    "CONTINUE": "Continuer",
    "YOUR_RATING": "Votre note",
    "WRITE_YOUR_OPINION": "Dites-nous en plus (facultatif)…",
    "SUBMIT": "Envoyer",
    "THANK_YOU_FOR_YOUR_EVALUATION": "Merci pour votre avis !",
    "YOUR_RATING_HAS_BEEN_RECEIVED": "Nous avons bien reçu votre note.",
    "ALERT_LEAVE_CHAT": "Voulez-vous vraiment quitter la discussion ?",
    "YES": "Oui",
    "NO": "Non",
    "BUTTON_CLOSE_TO_ICON": "Réduire la discussion",
    "BUTTON_EDIT_PROFILE": "Modifier votre profil",
    "RATE_CHAT": "Évaluer cette discussion",
    "WELCOME_TITLE": "Bonjour, bienvenue sur Tiledesk 👋",
    "WELCOME_MSG": "Comment pouvons-nous vous aider aujourd'hui ?",
    "WELCOME": "Bienvenue",
    "OPTIONS": "Options",
    "SOUND_OFF": "Son désactivé",
    "SOUND_ON": "Son activé",
    "LOGOUT": "Se déconnecter",
    "CLOSE": "Fermer",
    "RESTART": "Recommencer",
    "PREV_CONVERSATIONS": "Vos conversations",
    "YOU": "Vous",
    "SHOW_ALL_CONV": "Tout voir",
    "START_A_CONVERSATION": "Démarrer une conversation",
    "NO_CONVERSATION": "Aucune conversation pour l'instant",
    "SEE_PREVIOUS": "Voir les conversations précédentes",
    "WAITING_TIME_FOUND": "Nous répondons généralement en $reply_time",
    "WAITING_TIME_NOT_FOUND": "Nous vous répondrons dès que possible",
    "CLOSED": "Fermée",
    "CLOSE_CHAT": "Terminer la discussion",
    "MINIMIZE": "Réduire",
    "MAXIMIZE": "Agrandir",
    "INFO_SUPPORT_USER_ADDED_SUBJECT": "Vous",
    "INFO_SUPPORT_USER_ADDED_YOU_VERB": "avez été ajouté à",
    "INFO_SUPPORT_USER_ADDED_COMPLEMENT": "la discussion",
    "INFO_SUPPORT_USER_ADDED_VERB": "a rejoint",
    "INFO_SUPPORT_CHAT_REOPENED": "La discussion a été rouverte",
    "INFO_SUPPORT_CHAT_CLOSED": "La discussion a été fermée",
    "INFO_SUPPORT_LEAD_UPDATED": "Coordonnées du contact mises à jour",
    "INFO_SUPPORT_MEMBER_LEFT_GROUP": "a quitté la discussion",
    "INFO_SUPPORT_MEMBER_ABANDONED_GROUP": "s'est retiré de la conversation",
    "INFO_A_NEW_SUPPORT_REQUEST_HAS_BEEN_ASSIGNED_TO_YOU": (
        "Vous avez une nouvelle demande d'assistance"
    ),
    "LABEL_PRECHAT_USER_FULLNAME": "Nom complet",
    "LABEL_PRECHAT_USER_EMAIL": "Adresse e-mail",
    "LABEL_PRECHAT_USER_EMAIL_ERROR": "Cette adresse e-mail ne semble pas valide",
    "LABEL_PRECHAT_USER_PHONE": "Numéro de téléphone",
    "LABEL_PRECHAT_USER_PHONE_ERROR": "Veuillez indiquer votre numéro de téléphone",
    "LABEL_PRECHAT_FIRST_MESSAGE": "Votre message pour notre équipe d'assistance",
    "LABEL_PRECHAT_STATIC_TERMS_PRIVACY": (
        "Avant de commencer, veuillez lire et accepter nos Conditions d'utilisation et "
        "notre Politique de confidentialité."
    ),
    "LABEL_PRECHAT_ACCEPT_TERMS_PRIVACY": "J'accepte",
    "PRECHAT_REQUIRED_ERROR": "Veuillez remplir ce champ",
    "LABEL_TODAY": "aujourd'hui",
    "LABEL_TOMORROW": "hier",
    "LABEL_LAST_ACCESS": "vu pour la dernière fois",
    "LABEL_TO": "à",
    "ARRAY_DAYS": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
    "SENT_AN_ATTACHMENT": "a envoyé une pièce jointe",
    "SENT_AN_IMAGE": "a envoyé une image",
    "LABEL_PREVIEW": "Aperçu",
    "SWITCH_TO": "Ou continuez sur :",
}
