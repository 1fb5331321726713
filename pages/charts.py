"""Charts drawn as inline SVG, laid out here so that templates only place what is given."""

import functools
from dataclasses import dataclass, replace

from django.utils.html import escape
from django.utils.safestring import mark_safe

from results.replay import declarations_by_hour

BAR = 16  # units from one hour's bar to the next
BAR_HEIGHT = 100
LABEL_EVERY = 4  # hours between labels on the time axis


@dataclass(frozen=True)
class Bar:
    hour: object  # results.replay.Hour
    x: int
    y: float
    height: float
    labelled: bool


@dataclass(frozen=True)
class HoursChart:
    bars: tuple[Bar, ...]
    tallest: int
    hours: tuple  # every hour, those after the night each its own (for the table)
    shown_at: object = None  # the moment a replay shows, whose later hours are marked

    @property
    def width(self):
        return len(self.bars) * BAR

    @functools.cached_property
    def table_rows(self):
        """The table's rows, for the hours with a declaration (the others are left out):
        written here, as the template's loop over them cost more than the rest of the
        table. Each links to the results as they stood at the hour's end."""
        rows = []
        for hour in self.hours:
            if not hour.declared:
                continue
            later = ' class="later"' if self.shown_at and hour.start > self.shown_at else ""
            when = hour.span if hour.on_the_night else f"{hour.span}, {hour.day}"
            rows.append(
                f'<tr{later}><th scope="row"><a href="?at={escape(hour.at)}">{escape(when)}</a>'
                f'</th><td class="num">{hour.declared}</td><td class="num">{hour.so_far}</td></tr>'
            )
        return mark_safe("\n".join(rows))  # noqa: S308: numbers, and the rest escaped

    @property
    def title(self):
        """What the bars say, in words (the SVG's title)."""
        counts = "".join(
            f"{bar.hour.label} {bar.hour.declared}, " for bar in self.bars if bar.hour.declared
        )
        return f"Declarations per hour, from 22:00 on polling day: {counts}none in the other hours."

    @functools.cached_property
    def marks(self):
        """The bars and the time axis's labels, as SVG: written here, as the template's
        loop over every hour cost more than the rest of the chart."""
        marks = []
        for place, bar in enumerate(self.bars):
            if bar.height:
                marks.append(
                    f'<rect x="{bar.x + 2}" y="{bar.y}" width="12" height="{bar.height}"'
                    ' fill="#0e2340"/>'
                )
            last = place == len(self.bars) - 1
            if bar.labelled or (last and not bar.hour.on_the_night):
                marks.append(
                    f'<text x="{bar.x + 8}" y="120" text-anchor="middle">'
                    f"{escape(bar.hour.label)}</text>"
                )
        return mark_safe("".join(marks))  # noqa: S308: numbers, and labels escaped


def hours_chart(hours, shown_at=None):
    """Declarations per hour: a bar for each hour of the night, then one for all later
    declarations; the tallest bar as high as the chart. `shown_at`: the moment a replay
    shows, if one does."""
    night = [hour for hour in hours if hour.on_the_night]
    later = [hour for hour in hours if not hour.on_the_night]
    if later:
        night.append(
            replace(later[-1], start=later[0].start, declared=sum(h.declared for h in later))
        )
    tallest = max((hour.declared for hour in night), default=0) or 1
    return HoursChart(
        hours=tuple(hours),
        bars=tuple(
            Bar(
                hour=hour,
                x=place * BAR,
                y=round(BAR_HEIGHT - hour.declared * BAR_HEIGHT / tallest, 2),
                height=round(hour.declared * BAR_HEIGHT / tallest, 2),
                labelled=place % LABEL_EVERY == 0,
            )
            for place, hour in enumerate(night)
        ),
        tallest=tallest,
        shown_at=shown_at,
    )


@functools.lru_cache(maxsize=16)
def night_chart(hours, polling_day, shown_at=None):
    """The chart of the night's declarations from the hour each declared in (a sorted
    tuple of results.replay.hour_of), drawn once for each set of hours and moment shown:
    a correction, which changes no seat's hour, leaves it as it was."""
    timeline = declarations_by_hour(hours, polling_day) if polling_day else []
    return hours_chart(timeline, shown_at=shown_at)
