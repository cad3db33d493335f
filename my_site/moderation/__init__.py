"""User moderation and anti-spam: InvenioRDM's moderation switched on, a blocklist of domains.

InvenioRDM opens a moderation request for each user who publishes while not yet
verified (``RDM_USER_MODERATION_ENABLED``); the ``administration-moderation`` role
receives it, and declining it blocks the user, whose records are then deleted
(tombstoned) and leave search. Sign-ups from a blocked e-mail domain are refused.
This package keeps the instance's blocklist of such domains
(``app_data/blocked-email-domains.txt``) loaded: at setup, at update and daily.
"""
