"""The review meeting's invite: the renderer lives in ``shared.calendar`` (the notification
service attaches the same invite); re-exported here for the review's own ``.ics`` route."""

from shared.calendar import Person as Person
from shared.calendar import render_invite as render_invite
from shared.calendar import summary_for as summary_for
