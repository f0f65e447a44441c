"""The sync engine's parts that need no database: signatures, envelopes, payload schemas, the
handler registry and the retry policy. Everything here is importable and testable on its own."""
