"""Extension points of the citizen page: features add a section without touching this package.

A provider takes (citizen, open_course_or_None) and returns (template_name, context) or None.
The section template is rendered inside the citizen page; it must be discreet and resource-focused
(no diagnosis). Register at import time of the feature's routes or services module."""

CITIZEN_SECTIONS: list = []


def citizen_section(provider):
    CITIZEN_SECTIONS.append(provider)
    return provider


# Features add entries to the citizen page's "recent" list without this package importing them:
# a provider takes the citizen and returns up to ten past `services.TimelineEntry`s, newest first
# (the welcome table adds the citizen's contacts).
CITIZEN_HISTORY: list = []


def citizen_history(provider):
    CITIZEN_HISTORY.append(provider)
    return provider
