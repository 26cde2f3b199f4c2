"""A publishable paragraph per body, worded from its facts with the catalogue's templates.

Deterministic: the same facts give the same paragraph. Every number in it is a field of
:class:`EntityFacts` or of one of its pages' :class:`AccountFacts`, written by
:class:`civicpulse.review.numbers.Style`; the templates (gettext messages, one catalogue per
language) only choose words. They are built so that a number is never followed by a word whose
case or agreement the template cannot know: counted nouns come from ``ngettext`` in the one
construction the translation was written for ("has N followers"), and elsewhere a number stands
alone after a dash or a colon.

What is salient, in order: the main page's followers (doubled, tripled, N-fold, grew, fell, new,
unknown), a move to a new page, the body's pages together and its place in growth, the main
page's posting (dormant and since when, posts a week, weeks with posts, longest silence), likes
per post by media type, live streams and video, and its other platforms, active or silent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from civicpulse.i18n import Language
from civicpulse.i18n.terms import platform_title
from civicpulse.periods import zone
from civicpulse.review.entities import EntityFacts, Move, Totals
from civicpulse.review.facts import AccountFacts
from civicpulse.review.numbers import Style, shown

DOUBLED: Final = (1.9, 2.15)
TRIPLED: Final = (2.85, 3.15)
SILENT_FOR_LONG: Final = dt.timedelta(days=365)
CONTRAST: Final = 3.0
"""Videos must get this many times the likes of other posts before the paragraph contrasts them."""
MIN_TYPE_POSTS: Final = 3
VIDEO_SHARE: Final = 0.2


def full_stop(sentence: str) -> str:
    """``sentence`` without a doubled final stop where it ends on an abbreviation (``2018 г..``, ``тыс..``)."""
    if sentence.endswith("..") and not sentence.endswith("..."):
        return sentence[:-1]
    return sentence


@dataclass(frozen=True)
class Writer:
    """Writes paragraphs in one language for a review cut in zone ``tz``."""

    lang: Language
    tz: str

    @property
    def style(self) -> Style:
        return Style(self.lang)

    # -- counted nouns: the number as shown, its noun agreeing with it --------------------------

    def followers(self, n: int) -> str:
        """``22,8 тыс. подписчиков``, ``23 min izləyicisi``: the form used after "has"."""
        value = shown(n)
        return self.lang.ngettext("%(num)s follower", "%(num)s followers", self.style.form(value)) % {
            "num": self.style.count(n)
        }

    def posts(self, n: int) -> str:
        return self.lang.ngettext("%(num)s post", "%(num)s posts", n) % {"num": self.style.exact(n)}

    def days(self, n: int) -> str:
        return self.lang.ngettext("%(num)s day", "%(num)s days", n) % {"num": self.style.exact(n)}

    def pages(self, n: int) -> str:
        return self.lang.ngettext("%(num)s page", "%(num)s pages", n) % {"num": self.style.exact(n)}

    def likes(self, value: float) -> str:
        form = self.style.form(self.style.average_shown(value))
        return self.lang.ngettext("%(num)s like", "%(num)s likes", form) % {"num": self.style.average(value)}

    def comments(self, value: float) -> str:
        form = self.style.form(self.style.average_shown(value))
        return self.lang.ngettext("%(num)s comment", "%(num)s comments", form) % {"num": self.style.average(value)}

    def reposts(self, value: float) -> str:
        form = self.style.form(self.style.average_shown(value))
        return self.lang.ngettext("%(num)s repost", "%(num)s reposts", form) % {"num": self.style.average(value)}

    def local_day(self, instant: dt.datetime) -> dt.date:
        return instant.astimezone(zone(self.tz)).date()

    def year(self, year: int) -> str:
        """A year as the templates take it: ``2011-ci`` in Azerbaijani (``2011-ci ildə``), else the digits."""
        return self.style.ordinal(year) if self.lang.code == "az" else str(year)

    # -- the paragraph ---------------------------------------------------------------------------

    def paragraph(self, entity: EntityFacts) -> str:
        """The paragraph about ``entity``."""
        main = entity.main
        if main is None:
            return self.lang.gettext("It has no official page in the registry for this period.")
        sentences = [self.growth(main)]
        by_participant = {p.participant: p for p in entity.pages}
        sentences += [self.move(m, by_participant[m.old]) for m in entity.moves]
        moved = {m.old for m in entity.moves}
        sentences += [self.closed(p) for p in entity.pages if p.closed and p.participant not in moved]
        sentences.append(self.total(entity))
        sentences.append(self.place(entity))
        sentences.append(self.activity(main))
        sentences.append(self.engagement(main))
        sentences.append(self.live(main))
        sentences.append(self.video(main))
        sentences += self.elsewhere(entity)
        return " ".join(full_stop(s) for s in sentences if s)

    def growth(self, page: AccountFacts) -> str:
        s = self.style
        args = {"platform": platform_title(page.platform)}
        if page.followers_to is None:
            return self.lang.gettext("No follower count of its %(platform)s page is known for %(date)s.") % {
                **args,
                "date": s.day(page.last_day),
            }
        if page.new:
            args["followers"] = self.followers(page.followers_to)
            if page.opened and page.active_from:
                return self.lang.gettext("Its %(platform)s page opened on %(date)s and has %(followers)s.") % {
                    **args,
                    "date": s.day(page.active_from),
                }
            return self.lang.gettext("Its %(platform)s page opened during the period and has %(followers)s.") % args
        if page.followers_from is None or page.change is None:
            return self.lang.gettext("Its %(platform)s page has %(followers)s; no count is known for %(date)s.") % {
                **args,
                "followers": self.followers(page.followers_to),
                "date": s.day(page.first_day),
            }
        args["to"] = s.count(page.followers_to)
        ratio = page.followers_ratio
        if page.change == 0:
            return self.lang.gettext("Followers of its %(platform)s page stayed at %(to)s.") % args
        if page.change < 0:
            return self.lang.gettext("Followers of its %(platform)s page fell from %(from)s to %(to)s (%(pct)s).") % {
                **args,
                "from": s.count(page.followers_from),
                "pct": s.percent(page.change_pct or 0.0, signed=True),
            }
        if ratio is not None and DOUBLED[0] <= ratio < DOUBLED[1]:
            return self.lang.gettext("Followers of its %(platform)s page doubled to %(to)s.") % args
        if ratio is not None and TRIPLED[0] <= ratio < TRIPLED[1]:
            return self.lang.gettext("Followers of its %(platform)s page tripled to %(to)s.") % args
        if ratio is not None and ratio >= DOUBLED[1]:
            times = round(ratio, 1)
            return self.lang.ngettext(
                "Followers of its %(platform)s page grew %(num)s-fold to %(to)s.",
                "Followers of its %(platform)s page grew %(num)s-fold to %(to)s.",
                s.form(times),
            ) % {**args, "num": s.decimal(ratio)}
        if page.change_pct is None:  # grew from zero: no percentage to give
            return self.lang.gettext("Followers of its %(platform)s page grew by %(change)s to %(to)s.") % {
                **args,
                "change": s.count(page.change),
            }
        return self.lang.gettext("Followers of its %(platform)s page grew by %(change)s (%(pct)s) to %(to)s.") % {
            **args,
            "change": s.count(page.change),
            "pct": s.percent(page.change_pct, signed=True),
        }

    def move(self, move: Move, old: AccountFacts) -> str:
        args = {"platform": platform_title(old.platform), "date": self.style.day(move.on)}
        if old.followers_to is None:
            return self.lang.gettext("On %(date)s it moved to a new %(platform)s page.") % args
        args["followers"] = self.followers(old.followers_to)
        if old.name:
            return self.lang.gettext(
                "On %(date)s it moved to a new %(platform)s page; the old one, «%(name)s», had %(followers)s by then."
            ) % {**args, "name": old.name}
        return (
            self.lang.gettext("On %(date)s it moved to a new %(platform)s page; the old one had %(followers)s by then.")
            % args
        )

    def closed(self, page: AccountFacts) -> str:
        return self.lang.gettext("Its %(platform)s page closed on %(date)s.") % {
            "platform": platform_title(page.platform),
            "date": self.style.day(page.last_day),
        }

    def total(self, entity: EntityFacts) -> str:
        counted = [p for p in entity.pages if not p.closed and p.followers_to is not None]
        if len(counted) < 2 or entity.followers_to is None:
            return ""
        args = {"pages": self.pages(len(counted)), "followers": self.followers(entity.followers_to)}
        if entity.change_pct is None:
            return self.lang.gettext("Its %(pages)s have %(followers)s in total.") % args
        return self.lang.gettext("Its %(pages)s have %(followers)s in total (%(pct)s).") % {
            **args,
            "pct": self.style.percent(entity.change_pct, signed=True),
        }

    def place(self, entity: EntityFacts) -> str:
        if entity.growth_rank is None or entity.ranked < 2:
            return ""
        return self.lang.gettext("By growth of its total audience it ranks %(place)s of %(total)s.") % {
            "place": self.style.ordinal(entity.growth_rank),
            "total": self.style.exact(entity.ranked),
        }

    def activity(self, page: AccountFacts) -> str:
        s = self.style
        args = {"platform": platform_title(page.platform)}
        if page.dormant:
            if page.last_post_at is None:
                return (
                    self.lang.gettext("Nothing has been posted on its %(platform)s page as far as the data go.") % args
                )
            last = self.local_day(page.last_post_at)
            if page.last_day - last > SILENT_FOR_LONG:
                first = self.local_day(page.first_post_at) if page.first_post_at else None
                if first is not None and first.year == last.year:
                    return self.lang.gettext(
                        "Its %(platform)s page has been silent for over a year: "
                        "its first and last posts both date from %(year)s."
                    ) % {**args, "year": self.year(last.year)}
                return self.lang.gettext(
                    "Its %(platform)s page has been silent for over a year: the last post is from %(date)s."
                ) % {**args, "date": s.day(last)}
            return self.lang.gettext(
                "Its %(platform)s page published nothing in the period; the last post is from %(date)s."
            ) % {**args, "date": s.day(last)}
        args |= {"posts": self.posts(page.posts), "per_week": s.rate(page.posts_per_week)}
        if page.weeks_with_posts >= page.weeks:
            return (
                self.lang.gettext(
                    "Its %(platform)s page published %(posts)s, %(per_week)s a week on average, with posts every week."
                )
                % args
            )
        return self.lang.gettext(
            "Its %(platform)s page published %(posts)s, %(per_week)s a week on average; there were posts "
            "in %(weeks)s of weeks, and the longest silence lasted %(silence)s."
        ) % {
            **args,
            "weeks": s.percent((page.regularity or 0.0) * 100),
            "silence": self.days(page.longest_silence_days),
        }

    def engagement(self, page: AccountFacts) -> str:
        if page.posts == 0 or page.likes_per_post is None:
            return ""
        s = self.style
        video = page.media_of("video")
        for other_type in ("text", "photo"):
            other = page.media_of(other_type)
            if (
                video is not None
                and other is not None
                and min(video.posts, other.posts) >= MIN_TYPE_POSTS
                and video.likes_per_post >= CONTRAST * max(other.likes_per_post, 1.0)
            ):
                args = {"video": s.average(video.likes_per_post), "other": s.average(other.likes_per_post)}
                if other_type == "text":
                    return (
                        self.lang.gettext("Likes per post on average: %(video)s for videos, %(other)s for text posts.")
                        % args
                    )
                return (
                    self.lang.gettext("Likes per post on average: %(video)s for videos, %(other)s for photo posts.")
                    % args
                )
        return self.lang.gettext("Per post on average: %(likes)s, %(comments)s and %(reposts)s.") % {
            "likes": self.likes(page.likes_per_post),
            "comments": self.comments(page.comments_per_post or 0.0),
            "reposts": self.reposts(page.reposts_per_post or 0.0),
        }

    def live(self, page: AccountFacts) -> str:
        if page.live_streams == 0:
            return ""
        return self.lang.ngettext("It went live %(num)s time.", "It went live %(num)s times.", page.live_streams) % {
            "num": self.style.exact(page.live_streams)
        }

    def video(self, page: AccountFacts) -> str:
        video = page.media_of("video")
        if video is None or page.posts < 5 or video.share < VIDEO_SHARE:
            return ""
        return self.lang.gettext("Videos make up %(share)s of its posts.") % {
            "share": self.style.percent(video.share * 100)
        }

    def _label(self, page: AccountFacts, entity: EntityFacts) -> str:
        """A page's platform, with its name when the body has another page on that platform."""
        title = platform_title(page.platform)
        twins = sum(1 for p in entity.pages if p.platform == page.platform)
        return f"{title} «{page.name}»" if twins > 1 and page.name else title

    def elsewhere(self, entity: EntityFacts) -> list[str]:
        others = [p for p in entity.pages[1:] if not p.closed]
        if not others:
            return []
        items = [
            f"{self._label(p, entity)} ({self.style.count(p.followers_to)})"
            if p.followers_to is not None
            else self._label(p, entity)
            for p in others
        ]
        out = [
            self.lang.gettext("Its other official pages, with their followers: %(items)s.")
            % {"items": self.style.items(items)}
        ]
        active = [self._label(p, entity) for p in others if not p.dormant]
        silent = [self._label(p, entity) for p in others if p.dormant]
        if active:
            out.append(self.lang.gettext("It also posted on %(platforms)s.") % {"platforms": self.style.items(active)})
        if silent:
            out.append(
                self.lang.gettext("Nothing was posted on %(platforms)s in the period.")
                % {"platforms": self.style.items(silent)}
            )
        return out

    # -- the article's title and lead --------------------------------------------------------------

    def bodies(self, n: int) -> str:
        """``19 ведомств``, ``19 qurumun``: the form taken after "the pages of" and before "have"."""
        return self.lang.ngettext("%(num)s body", "%(num)s bodies", n) % {"num": self.style.exact(n)}

    def title(self, first_day: dt.date, last_day: dt.date) -> str:
        return self.lang.gettext("Official pages: %(first)s to %(last)s") % {
            "first": self.style.day(first_day),
            "last": self.style.day(last_day),
        }

    def lead(
        self,
        first_day: dt.date,
        last_day: dt.date,
        entities: list[EntityFacts],
        sums: Totals | None,
        opened: int,
        dormant: int,
    ) -> list[str]:
        """The lead's sentences: what is compared, the audience together, the extremes, new and silent pages."""
        s = self.style
        out = [
            self.lang.gettext("This review compares the official pages of %(bodies)s on %(first)s and on %(last)s.")
            % {"bodies": self.bodies(len(entities)), "first": s.day(first_day), "last": s.day(last_day)}
        ]
        if sums is not None and sums.change_pct is not None:
            args = {
                "followers": self.followers(sums.followers_to),
                "before": s.count(sums.followers_from),
                "pct": s.percent(sums.change_pct, signed=True),
            }
            if sums.bodies == len(entities):
                out.append(
                    self.lang.gettext("Together they have %(followers)s, against %(before)s at the start (%(pct)s).")
                    % args
                )
            else:
                out.append(
                    self.lang.gettext(
                        "The %(bodies)s with counts at both dates have %(followers)s together, "
                        "against %(before)s at the start (%(pct)s)."
                    )
                    % {**args, "bodies": self.bodies(sums.bodies)}
                )
        placed = [e for e in entities if e.change_pct is not None]
        if placed and (placed[0].change_pct or 0.0) > 0:
            out.append(
                self.lang.gettext("The fastest growth: %(name)s (%(pct)s).")
                % {"name": placed[0].name, "pct": s.percent(placed[0].change_pct or 0.0, signed=True)}
            )
        if len(placed) > 1 and (placed[-1].change_pct or 0.0) < 0:
            out.append(
                self.lang.gettext("The largest fall: %(name)s (%(pct)s).")
                % {"name": placed[-1].name, "pct": s.percent(placed[-1].change_pct or 0.0, signed=True)}
            )
        if opened:
            out.append(
                self.lang.ngettext(
                    "%(num)s page opened during the period.", "%(num)s pages opened during the period.", opened
                )
                % {"num": s.exact(opened)}
            )
        if dormant:
            out.append(
                self.lang.ngettext("%(num)s page published nothing.", "%(num)s pages published nothing.", dormant)
                % {"num": s.exact(dormant)}
            )
        return [full_stop(sentence) for sentence in out]
