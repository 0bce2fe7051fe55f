"""Conversations: ``/:pid/requests``. Tiledesk calls them "requests"; in Tessera's code
"request" always means an HTTP request, so the package is named after what they are."""
