"""Citizens on Zalo: the same application and handlers, through Zalo's Bot API.

`client` speaks Zalo's API, `transport` stands in for python-telegram-bot's connection
(buttons become numbered lines "[1] …", HTML plain text, edits new messages), `events` turns
Zalo events into Telegram updates (a typed number presses the last keyboard), and
`channel` wires a second Application for Zalo with its webhook or polling loop.
"""
