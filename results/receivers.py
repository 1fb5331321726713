"""The receivers of results, connected in results.apps, in the order they run.

Each save or delete of a results model announces what it changed
(results.signals.content_changed, for the pages to drop what shows it):

1. a result, before it is written: `result_parties_note` keeps the parties it named;
2. a result, once written or deleted: `result_change`, its seat and every party involved;
   once deleted: `result_withdrawn` numbers the change (results.changes) (results_clear
   deletes every result at once, sending no signal, and announces and numbers them);
3. a candidacy: its seat and its party;
4. a published scoreboard or one of its lines: `national`;
5. an exit poll or one of its lines: `exit_poll`;
6. an election, a party, a region, a county or a constituency: `everything`.

Writes in bulk send no model signals: the services announce those themselves.
"""

from django.db.models.signals import post_delete

from results import models
from results.changes import change_record
from results.signals import connect


def result_parties_note(result):
    """Keep the parties a result named before this write (its winner's, and gained from)."""
    result.parties_before = set()
    if result.pk:
        result.parties_before = set(
            type(result)
            .objects.filter(pk=result.pk)
            .values_list("winner__party_id", "gained_from_id")
            .first()
            or ()
        )


def result_change(result):
    """A result changes the seats of its winner's party, the party it was gained from,
    and of every party that stood: a party's seats include those where it came second."""
    stood = models.Candidacy.objects.filter(constituency_id=result.constituency_id)
    return {
        "constituencies": [result.constituency_id],
        "parties": {
            result.winner.party_id,
            result.gained_from_id,
            *getattr(result, "parties_before", ()),
            *stood.values_list("party_id", flat=True),
        },
    }


def result_withdrawn(sender, instance, **kwargs):
    """A result deleted (by itself, or with its seat) is withdrawn from readers."""
    change_record(models.ChangeKind.RESULT, instance.constituency_id, models.ChangeAction.WITHDRAWN)


def connect_all():
    post_delete.connect(result_withdrawn, sender=models.Result, dispatch_uid="result-withdrawn")
    connect(models.Result, result_change, before=result_parties_note)
    connect(
        models.Candidacy,
        lambda candidacy: {
            "constituencies": [candidacy.constituency_id],
            "parties": [candidacy.party_id],
        },
    )
    connect(models.PublishedScoreboard, lambda scoreboard: {"national": [scoreboard.pk]})
    connect(models.PublishedTally, lambda tally: {"national": [tally.scoreboard_id]})
    connect(models.ExitPoll, lambda poll: {"exit_poll": [poll.pk]})
    connect(models.ExitPollLine, lambda line: {"exit_poll": [line.exit_poll_id]})
    for model in (
        models.Election,
        models.Party,
        models.Region,
        models.County,
        models.Constituency,
    ):
        connect(model, lambda row: {"everything": True})
