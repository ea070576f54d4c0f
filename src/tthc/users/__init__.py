"""Bot users: language preference and the small conversation state kept between messages."""
