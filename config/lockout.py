"""django-axes, counting as the newsroom needs: guesses lock a username from one address
only, so nobody can lock an editor out from elsewhere; and one address guessing any
usernames at all is stopped at a higher count (AXES_ADDRESS_FAILURE_LIMIT)."""

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    """Expects AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]."""

    def get_failures(self, request, credentials=None):
        user_and_address, address = (
            attempts.aggregate(failures=Sum("failures_since_start"))["failures"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            # As many as locks out, whatever the username.
            return max(user_and_address, settings.AXES_FAILURE_LIMIT)
        return user_and_address

    def reset_user_attempts(self, request, credentials=None):
        """On a success, clear that username's failures from that address only: the
        address's guesses at other usernames still count (AXES_RESET_ON_SUCCESS)."""
        user_and_address = self.filter_user_attempts(request, credentials)[0]
        count, _ = user_and_address.delete()
        return count
