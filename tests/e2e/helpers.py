"""What a person does in the browser again and again."""

from ..factories import PASSWORD


def log_in(page, base, username, password=PASSWORD):
    page.goto(base + "/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url(base + "/**")
