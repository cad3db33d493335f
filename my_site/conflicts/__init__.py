"""Two requests changing the same thing at once: the one that loses gets a 409."""
