"""The staff desk in the chat: catalogue and dossier files, and the questions nobody answered."""
