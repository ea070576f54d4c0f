"""The application: services, the Telegram wiring, web server, console chat, jobs, migrations."""
