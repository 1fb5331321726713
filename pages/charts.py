"""Charts drawn as inline SVG, laid out here so that templates only place what is given."""

from dataclasses import dataclass, replace

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

    @property
    def width(self):
        return len(self.bars) * BAR


def hours_chart(hours):
    """Declarations per hour: a bar for each hour of the night, then one for all later
    declarations; the tallest bar as high as the chart."""
    night = [hour for hour in hours if hour.on_the_night]
    later = [hour for hour in hours if not hour.on_the_night]
    if later:
        night.append(
            replace(later[-1], start=later[0].start, declared=sum(h.declared for h in later))
        )
    hours = night
    tallest = max((hour.declared for hour in hours), default=0) or 1
    return HoursChart(
        bars=tuple(
            Bar(
                hour=hour,
                x=place * BAR,
                y=round(BAR_HEIGHT - hour.declared * BAR_HEIGHT / tallest, 2),
                height=round(hour.declared * BAR_HEIGHT / tallest, 2),
                labelled=place % LABEL_EVERY == 0,
            )
            for place, hour in enumerate(hours)
        ),
        tallest=tallest,
    )
