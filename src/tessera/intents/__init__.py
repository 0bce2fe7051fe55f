"""Intents (Tiledesk's ``faq``): ``/:pid/faq``, ``/:pid/intents`` and the public ``/:pid/faqpub``;
and the built-in FAQ engine that answers visitors for bots of type ``internal``."""
