"""Chatbots (Tiledesk's ``faq_kb``): ``/:pid/faq_kb`` and ``/:pid/bots``."""
