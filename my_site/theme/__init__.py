"""The instance's look: logo, colours, front page, footer and their styles."""
