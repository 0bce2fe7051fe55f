"""Conversation transcripts: ``/public/requests/:rid/messages[.html|.csv|.txt|.pdf]``."""
