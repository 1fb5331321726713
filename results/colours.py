"""The colours that are no party's own, in one place. A party's own colour is kept with
the party (Party.colour), so that the admin can change it and every page follows.

The stylesheet names these as custom properties (STYLESHEET_PROPERTIES) in its `:root`:
the site's content security policy lets no style into a page but from a stylesheet, and
tests/test_party_colours.py keeps static/css/site.css agreeing with this module.
"""

# The palest grey that stands out from white by 4.5:1: a party with no colour given,
# the Others on the scoreboard, and the outline of a seat on the map that shows no
# party's colour.
GREY = "#767676"

# The page's pale wash, behind panels: a seat on the map that awaits its declaration.
WASH = "#f4f5f7"

STYLESHEET_PROPERTIES = {"--wash": WASH, "--grey": GREY}
