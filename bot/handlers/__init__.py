"""Thin Telegram handlers: parse the update, call a service, render a view, send."""
