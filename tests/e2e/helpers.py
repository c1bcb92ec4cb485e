"""What a person does in the browser again and again."""

from ..factories import PASSWORD


def log_in(page, base, username, password=PASSWORD):
    page.goto(base + "/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    # Wait for the page after the log-in (still on /login, a pattern would match at once), with
    # its deferred scripts run, so the next tap goes through htmx as a person's would.
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("load")
