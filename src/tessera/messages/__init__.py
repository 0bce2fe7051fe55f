"""Messages of conversations (``/:pid/requests/:rid/messages``) and direct messages
(``/:pid/messages``)."""
