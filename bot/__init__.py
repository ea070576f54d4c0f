"""Telegram front end: wiring, thin handlers, and the console chat that reuses them."""
