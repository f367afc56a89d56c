"""The email edition (``digest email``): one issue or ISO week as a message, delivered over SMTP.

``edition`` chooses what a message lists (featured papers first, then each topic's best), ``message``
renders it (templates/email.html.j2, email.txt.j2) into a deterministic multipart/alternative message
whose HTML part fits under Gmail's clipping size, ``settings`` reads the mail server's settings from the
environment, ``smtp`` delivers it, and ``record`` keeps the
list of issues already mailed, so the deploy workflow mails each issue once.
"""
