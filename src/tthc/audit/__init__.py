"""The audit journal: who changed what the bot tells citizens, and when."""
