"""The content security policy's scripts: our own files and hashed static inline scripts."""
