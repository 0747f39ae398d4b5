"""An email backend whose server is down (``smtplib.SMTPServerDisconnected`` on every send)."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class EmailBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("mail server is down")
