"""E-mail that is not sent: kept in a private outbox instead of any log."""
