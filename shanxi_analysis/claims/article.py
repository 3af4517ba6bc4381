"""The article under check and how its words are read: where it is, whom and which year it writes about, and the
fixed readings of its phrases ("two decades", "much higher", a growth rate given to one decimal).

Every check reads these constants rather than repeating the figures, so a reading is stated once and named in the
evidence.
"""

from __future__ import annotations

from .. import data

#: The article every claim comes from.
ARTICLE_URL = data.ARTICLE_URL

#: How the article is cited in the ``sources`` column (always first).
ARTICLE_SOURCE = f"China Daily, 'Investment booms in Shanxi in 2020' (2021-03-26) <{ARTICLE_URL}>"

#: The article's publisher: its other reports are never independent evidence for the article's claims.
PUBLISHER = "China Daily"
#: The publisher's web site (reports there are the publisher's, whatever their text says).
PUBLISHER_SITE = "chinadaily.com.cn"

#: The article's subject: the province and the year it writes about.
PROVINCE = "Shanxi"
YEAR = 2020

#: The month the article was published: the rate "current at publication" is this month's average.
PUBLISHED_MONTH = "2021-03"

#: "Two decades" before :data:`YEAR`: the 20 years 2000-2019.
TWO_DECADES = (YEAR - 20, YEAR - 1)

#: "Much higher than the national average": at least this many percentage points above it ...
MUCH_HIGHER_MIN_GAP_PP = 2.0
#: ... and at least this multiple of it (the ratio test is skipped when national growth is zero or negative).
MUCH_HIGHER_MIN_RATIO = 1.5

#: Tolerance of growth rates given to one decimal.
ONE_DECIMAL_PP = 0.05

#: Separator between the entries of the ``sources`` column.
SOURCE_SEP = " | "
