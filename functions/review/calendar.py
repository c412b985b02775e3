"""The review meeting's invite: the renderer lives in ``shared.domain.calendar`` (the notification
service attaches the same invite); re-exported here for the review's own ``.ics`` route."""

from shared.domain.calendar import Person as Person
from shared.domain.calendar import render_invite as render_invite
from shared.domain.calendar import summary_for as summary_for
