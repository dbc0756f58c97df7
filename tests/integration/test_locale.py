"""The rep's own locale: chosen in Settings, else the browser's language, and kept per rep."""

from __future__ import annotations

import json
import re

from tests.conftest import PASSWORD
from webapp.domain.encouragement import LINES, Moment
from webapp.extensions import db
from webapp.models import User


def _lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True)).group(1)


def _saved_locale(app, email="rep@example.com"):
    with app.app_context():
        return db.session.execute(db.select(User.locale).where(User.email == email)).scalar_one()


def test_without_a_choice_the_browsers_language_decides(rep):
    assert _lang(rep.get("/", headers={"Accept-Language": "de-DE,de;q=0.9,en;q=0.5"})) == "de"
    assert _lang(rep.get("/", headers={"Accept-Language": "en-US,en;q=0.9"})) == "en-US"
    assert _lang(rep.get("/", headers={"Accept-Language": "fr-FR"})) == "en"


def test_a_visitor_who_is_not_logged_in_gets_the_browsers_language(visitor):
    response = visitor.get("/login", headers={"Accept-Language": "de"})
    assert _lang(response) == "de" and "Accept-Language" in response.vary
    assert _lang(visitor.get("/login")) == "en"


def test_the_saved_choice_beats_the_browser_and_automatic_goes_back(app, rep):
    response = rep.post("/settings/locale", data={"locale": "en_GB"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/settings#locale")
    assert _saved_locale(app) == "en_GB"
    page = rep.get("/settings", headers={"Accept-Language": "de-DE"})
    assert _lang(page) == "en-GB"
    html = page.get_data(as_text=True)
    assert re.search(r'<option value="en_GB" selected lang="en-GB">', html)
    assert "Times show as 07:15, numbers as 1,234.5." in html

    assert rep.post("/settings/locale", data={"locale": ""}).status_code == 303
    assert _saved_locale(app) is None
    assert _lang(rep.get("/settings", headers={"Accept-Language": "de-DE"})) == "de"


def test_a_us_rep_reads_the_sample_in_the_twelve_hour_clock(rep):
    rep.post("/settings/locale", data={"locale": "en_US"})
    html = rep.get("/settings").get_data(as_text=True).replace("\u00a0", " ")
    assert "Times show as 7:15 AM, numbers as 1,234.5." in html


def test_a_locale_not_on_the_list_is_refused_and_changes_nothing(app, rep):
    rep.post("/settings/locale", data={"locale": "de"})
    response = rep.post("/settings/locale", data={"locale": "xx_YY"})
    assert response.status_code == 422
    assert "Wähle eine Sprache aus der Liste." in response.get_data(as_text=True)
    assert _saved_locale(app) == "de"


def test_one_reps_choice_is_not_anothers(app, rep):
    rep.post("/settings/locale", data={"locale": "de"})
    other = type(rep)(app.test_client())
    assert other.register(email="other@example.com", name="Otto").status_code == 303
    assert _lang(other.get("/", headers={"Accept-Language": "en-GB"})) == "en-GB"
    assert _saved_locale(app, "other@example.com") is None


def test_a_german_rep_reads_german_chrome_and_plurals_on_the_tally(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/").get_data(as_text=True)
    assert "<span>Heute</span>" in html and "<span>Mehr</span>" in html  # the tab bar
    assert ">Einstellungen</a>" in rep.get("/more").get_data(as_text=True)
    assert ">Anrufe heute</span>" in html  # no dials yet: the plural
    rep.tap("no_answer")
    html = rep.get("/").get_data(as_text=True)
    assert ">Anruf heute</span>" in html and 'data-one="Anruf heute" data-other="Anrufe heute"' in html


def test_an_english_rep_reads_one_dial_and_two_dials(rep):
    rep.tap("no_answer")
    assert ">Dial today</span>" in rep.get("/").get_data(as_text=True)
    rep.tap("no_answer")
    assert ">Dials today</span>" in rep.get("/").get_data(as_text=True)


def test_the_login_page_speaks_the_browsers_language(visitor):
    html = visitor.get("/login", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(as_text=True)
    assert "<title>Anmelden · Closer</title>" in html and "<h1>Anmelden</h1>" in html
    html = visitor.get("/register", headers={"Accept-Language": "de"}).get_data(as_text=True)
    assert "<title>Konto erstellen · Closer</title>" in html


def test_a_page_in_the_reps_saved_language_does_not_vary_by_the_browsers(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    response = rep.get("/settings", headers={"Accept-Language": "en-US"})
    assert _lang(response) == "de" and "Accept-Language" not in response.vary


GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}


def _german_page(client, url, **kwargs):
    return client.get(url, headers=GERMAN, **kwargs).get_data(as_text=True)


def _no_english(html, phrases):
    left = [phrase for phrase in phrases if phrase in html]
    assert not left, f"English left on a German page: {left}"


def test_the_login_and_register_pages_are_german_through_and_through(visitor):
    html = _german_page(visitor, "/login")
    assert ">E-Mail</label>" in html and ">Passwort</label>" in html and "Angemeldet bleiben" in html
    assert "Passwort vergessen?" in html and "Neu hier?" in html
    _no_english(html, ["Remember me", "Forgot your password?", "New here?", "Create an account", ">Email<"])
    html = _german_page(visitor, "/register")
    assert ">Anzeigename</label>" in html and "Das sieht dein Team." in html
    assert "Mindestens 10 Zeichen" in html and "Schon ein Konto?" in html
    _no_english(html, ["Display name", "What your team will see.", "At least 10 characters", "Have an account?"])


def test_a_weak_password_is_refused_in_german(visitor):
    data = {"email": "neu@example.com", "display_name": "Nina", "password": "short", "timezone": "Europe/Berlin"}
    response = visitor.post("/register", data=data, headers=GERMAN)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Nimm mindestens 10 Zeichen; ein kurzer Satz funktioniert gut." in html
    _no_english(html, ["Use at least 10 characters"])


def test_forgot_password_and_a_broken_reset_link_speak_german(visitor):
    html = _german_page(visitor, "/forgot")
    assert "<h1>Passwort vergessen?</h1>" in html and "Zurück zur Anmeldung" in html
    _no_english(html, ["Forgot your password?", "Back to log in", "This server does not send email", "Send me"])
    response = visitor.get("/reset/not-a-token", headers=GERMAN)
    html = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "Dieser Link funktioniert nicht." in html and "Neuen Link anfordern" in html
    _no_english(html, ["This reset link", "Get a new reset link", "Choose a new password"])


def test_an_error_page_speaks_the_browsers_language(visitor):
    response = visitor.get("/nowhere-at-all", headers=GERMAN)
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "Hier ist nichts." in html and "Zurück zu Heute" in html
    _no_english(html, ["There is nothing here.", "Back to today"])
    assert "There is nothing here." in visitor.get("/nowhere-at-all").get_data(as_text=True)


def test_the_badges_page_is_german_with_names_and_how_to_earn_them(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    rep.tap("no_answer")
    html = rep.get("/badges").get_data(as_text=True)
    assert "<h1>Abzeichen</h1>" in html and "1 von 31 verdient." in html
    assert ">Erster Anruf</h2>" in html and "Erfasse deinen ersten Anruf." in html and "Verdient am " in html
    assert ">Dickes Fell</h2>" in html and "Hör 10-mal Nein." in html
    assert 'aria-label="Fortschritt: Dickes Fell"' in html
    _no_english(
        html, ["of 31 earned", "Effort counts", ">First dial<", "Log your first call.", ">Thick skin<", "Earned "]
    )


def test_an_english_rep_reads_the_badges_in_english(rep):
    html = rep.get("/badges").get_data(as_text=True)
    assert "0 of 31 earned." in html and ">Thick skin</h2>" in html and "Hear 10 no&#39;s." in html


def test_the_big_picture_is_german_with_its_plurals(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    rep.tap("no_answer")
    html = rep.get("/big-picture").get_data(as_text=True)
    assert "<h1>Das Gesamtbild</h1>" in html and "Persönliche Bestwerte" in html and ">Stufe</th>" in html
    assert ">Rückrufe</th>" in html and ">Termin" in html and "1 Anruf am " in html and "1 Tag, " in html
    assert 'data-best="day_dials">1 Anruf am ' in html
    _no_english(
        html, ["The bigger picture", "Personal bests", "Lifetime funnel", ">1 dial on ", "Best week", ">Stage<"]
    )
    assert "Kalender deiner Anrufe" in html and ": 1 Anruf an 1 Tag." in html and "Woche vom</th>" in html
    _no_english(html, ["Calling activity calendar", "Dials per day", "Darker squares", "Week of", "Weekly dials"])
    rep.tap("no_answer")
    html = rep.get("/big-picture").get_data(as_text=True)
    assert "2 Anrufe am " in html and ": 2 Anrufe an 1 Tag." in html


def test_an_english_rep_reads_one_dial_and_two_dials_among_the_bests(rep):
    rep.tap("no_answer")
    html = rep.get("/big-picture").get_data(as_text=True)
    assert "1 dial on " in html and "1 day, " in html and "1 dials" not in html
    rep.tap("no_answer")
    assert "2 dials on " in rep.get("/big-picture").get_data(as_text=True)


def test_the_insights_page_is_german(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/insights").get_data(as_text=True)
    assert "<h1>Erkenntnisse</h1>" in html and "Feedback, keine Note." in html and "Gehörte Einwände" in html
    assert "Noch keine Einwände im Rückblick." in html and "Dein Trichter" in html
    _no_english(html, ["Patterns from your own", "Objections met", "No objections reviewed yet", "Your funnel"])


def test_the_admin_pages_and_their_answers_are_german(app, runner, rep):
    assert runner.invoke(args=["create-admin", "admin@example.com"], input=f"{PASSWORD}\n{PASSWORD}\n").exit_code == 0
    admin = type(rep)(app.test_client())
    assert admin.login("admin@example.com").status_code == 303
    admin.post("/settings/locale", data={"locale": "de"})
    html = admin.get("/admin").get_data(as_text=True)
    assert "<h2>Wer sich registrieren darf</h2>" in html and "Offen: Jeder, der die Seite findet" in html
    assert "Nach Name, E-Mail-Adresse oder Team suchen" in html and ">Deaktivieren</button>" in html
    _no_english(html, ["Who may register", "Search by name", ">Deactivate<", ">Reset link<", "last active", "No team"])
    refused = admin.post("/admin/registration", data={"kind": "domains", "domains": ""})
    assert refused.status_code == 422 and "Gib mindestens eine Domain an" in refused.get_data(as_text=True)
    admin.post("/admin/registration", data={"kind": "open", "domains": ""})
    assert "Gespeichert: offen." in admin.get("/admin").get_data(as_text=True)
    rita = re.search(r'data-user="(\d+)"[^<]*<span class="member-row__name"><strong>Rita', html).group(1)
    admin.post(f"/admin/accounts/{rita}/deactivate")
    log = admin.get("/admin/audit").get_data(as_text=True)
    assert (
        "<h2>Protokoll</h2>" in log
        and "hat deaktiviert:" in log
        and "hat festgelegt, wer sich registrieren darf" in log
    )
    _no_english(log, ["Audit log", "Every admin action", "deactivated", "set who may register"])


def test_the_huddle_speaks_german_default_prompt_included(app, rep):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, "Night Owls", tz="Europe/Berlin")
    join(rep, invite_token(coach, team_id))
    plan = {"enabled": "on", "time": "09:00", "prompt": ""}
    assert coach.post(f"/teams/{team_id}/huddle/plan", data=plan).status_code == 303
    rep.post("/settings/locale", data={"locale": "de"})
    coach.post("/settings/locale", data={"locale": "de"})
    card = rep.get("/today/huddle").get_data(as_text=True)
    assert "<strong>Team-Runde</strong> um " in card and "Fokus für heute" in card and ">Überspringen</button>" in card
    _no_english(card, ["Today&#39;s focus", ">Share<", ">Skip<", "One line for the team"])
    rep.post(f"/teams/{team_id}/huddle/answer", htmx=True, data={"body": "Erst die warmen Leads"})
    page = coach.get(f"/teams/{team_id}/huddle").get_data(as_text=True)
    assert "Tägliche Team-Runde" in page and "1 geantwortet (Rita Rep)" in page and "noch nicht: Cora Coach" in page
    assert "Team-Runde speichern" in page and "Heute gehörte Einwände:" in page
    _no_english(page, ["Daily huddle", "answered (", "not yet:", "Save the huddle", "Objections met today"])


def test_call_buddies_speak_german(app, rep):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    join(rep, invite_token(coach, team_id))
    max_ = new_rep(app, "max@example.com", "Max Member")
    join(max_, invite_token(coach, team_id))
    for person in (rep, max_):
        person.post("/settings/locale", data={"locale": "de"})
    page = rep.get(f"/teams/{team_id}/buddies").get_data(as_text=True)
    assert "Dein Anruf-Buddy" in page and "Max Member fragen" in page
    _no_english(page, ["Your call buddy", "Pick a teammate", "Ask Max", "A buddy sees"])
    with app.app_context():
        ids = dict(db.session.execute(db.select(User.email, User.id)).all())
    rita_id, max_id = ids["rep@example.com"], ids["max@example.com"]
    rep.post(f"/teams/{team_id}/buddies/{max_id}/invite")
    invited = max_.get("/today/buddy").get_data(as_text=True)
    assert "<strong>Rita Rep</strong> möchte dein Anruf-Buddy sein." in invited and ">Annehmen</button>" in invited
    max_.post(f"/teams/{team_id}/buddies/{rita_id}/accept")
    line = rep.get("/today/buddy").get_data(as_text=True)
    assert "Serie: 0 Tage" in line and "0/40 Anrufe" in line and "noch kein Anruf" in line and "zusammen 0 Tage" in line
    _no_english(line, ["-day streak", " dials<", "no call yet", "together "])


def test_starting_and_joining_a_team_speak_german(app, rep, visitor):
    from tests.integration.team_helpers import invite_token, make_team, new_rep

    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/teams").get_data(as_text=True)
    assert "Telefonier im Team" in html and ">Teamname</label>" in html and ">Team erstellen</button>" in html
    _no_english(html, ["Call with a team", "Team name", "Create team", "Start a team"])
    coach = new_rep(app, "coach@example.com", "Cora Coach")
    token = invite_token(coach, make_team(coach, "Night Owls"))
    html = rep.get(f"/join/{token}").get_data(as_text=True)
    assert "<h1>Night Owls beitreten</h1>" in html and "Deine Anrufe zählen auch fürs Team" in html
    html = _german_page(visitor, f"/join/{token}")
    assert "Du bist eingeladen." in html and "Zum Beitreten anmelden" in html
    _no_english(html, ["You are invited", "Log in to join", "Create an account"])


def test_streak_settings_and_time_off_speak_german_with_their_plurals(app, rep):
    from datetime import date, timedelta

    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/settings").get_data(as_text=True)
    assert "<h2>Deine Serie</h2>" in html and "Meine Serie ausblenden" in html and "Keine freien Tage geplant." in html
    _no_english(html, ["Your streak", "Hide my streak", "No time off planned", "Add time off", ">First day<"])
    start = date.today() + timedelta(days=10)
    rep.post("/settings/time-off", data={"first": start.isoformat(), "last": "", "kind": "holiday"})
    later = start + timedelta(days=20)
    rep.post("/settings/time-off", data={"first": later.isoformat(), "last": (later + timedelta(days=2)).isoformat()})
    html = rep.get("/settings").get_data(as_text=True)
    assert "Urlaub: " in html and "(1 Tag)" in html and "(3 Tage)" in html and " bis " in html
    refused = rep.post("/settings/time-off", data={"first": "", "kind": "sick"})
    assert refused.status_code == 422 and "Gib den ersten Tag ein, etwa 2026-11-02." in refused.get_data(as_text=True)


def test_an_english_rep_reads_one_day_and_three_days_off(rep):
    from datetime import date, timedelta

    start = date.today() + timedelta(days=10)
    rep.post("/settings/time-off", data={"first": start.isoformat(), "last": "", "kind": "holiday"})
    later = start + timedelta(days=20)
    rep.post("/settings/time-off", data={"first": later.isoformat(), "last": (later + timedelta(days=2)).isoformat()})
    html = rep.get("/settings").get_data(as_text=True)
    assert "(1 day)" in html and "(3 days)" in html and 'your team\'s "% of own goal".' in html


def test_adding_a_forgotten_call_speaks_german_with_the_outcome_names(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/calls/add").get_data(as_text=True)
    assert "<h1>Vergessenen Anruf nachtragen</h1>" in html and " Gestern</label>" in html
    outcomes = ("Keine Antwort", "Mailbox", "Vorzimmer", "Kein Interesse", "Gespräch", "Termin vereinbart", "Verkauf")
    assert all(f">{german}</option>" in html for german in outcomes)
    _no_english(html, ["Add a forgotten call", ">No answer<", ">Gatekeeper<", ">Meeting booked<", "Yesterday"])


def test_today_is_german_from_the_welcome_to_the_after_call_bar(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/").get_data(as_text=True)
    assert "<title>Heute · Closer</title>" in html and "Willkommen bei Closer" in html and ">Mo</span>" in html
    assert "Letzte Anrufe" in html and "Heute noch keine Anrufe." in html
    assert "Tipp an, was gerade passiert ist." in html
    assert ">Keine Antwort</span>" in html and "Noch 1 Anruf" not in html
    _no_english(html, ["Welcome to Closer", "Latest calls", "No calls yet today", "Daily dial goal", "Start calling"])
    _no_english(html, ["Today's micro-goals", " XP to level ", ">Dials: ", "day streak", ">Mon<"])
    _no_english(html, ["Tap what just happened", "Ten-second review", "Objection met", "No budget", ">Meeting<"])
    html = rep.tap("not_interested").get_data(as_text=True)
    assert "Erfasst: Kein Interesse" in html and ">Rückgängig</button>" in html and "Rückblick (10 s)" in html
    assert ">Anrufe: 1 von " in html
    _no_english(html, ["Logged:", ">Undo<", "Review (10 s)", ">Dials: ", " of about ", "Closer to yes"])
    assert "Noch zu wenige Anrufe für eine Schätzung" in html and "Not enough calls yet" not in html
    _no_english(html, list(LINES[Moment.AFTER_NO]) + ["The hardest dial is the first one."])


def test_the_words_the_page_scripts_show_come_from_the_server_in_german(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/").get_data(as_text=True)
    block = re.search(r'<script type="application/json" id="script-words">(.*?)</script>', html, re.S)
    words = json.loads(block.group(1))
    assert words["undone"] == "Rückgängig gemacht: {label}."
    assert (words["waiting_one"], words["waiting_other"]) == (
        "{count} wartet auf Abgleich",
        "{count} warten auf Abgleich",
    )
    assert words["breathe_in"] == "Einatmen" and words["ready"] == "Ich bin bereit"
    rep.post("/settings/locale", data={"locale": "en_GB"})
    english = json.loads(re.search(r'id="script-words">(.*?)</script>', rep.get("/").get_data(as_text=True)).group(1))
    assert english["waiting_one"] == "{count} waiting to sync" and english["undone"] == "Undone: {label}."


def test_a_german_toast_and_a_big_moment_speak_german(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.tap("meeting").get_data(as_text=True)
    assert "Abzeichen: " in html and "Weiter telefonieren" in html
    _no_english(html, ["Badge:", "Back to calling", "Level up", "Every dial got you here"])


def test_the_goals_sheet_is_german(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/goals").get_data(as_text=True)
    assert "<title>Heutige Ziele · Closer</title>" in html and ">Anrufe am Tag</label>" in html
    assert "Vorschläge übernehmen: " in html and "Meine Ziele speichern" in html and "Vorschlag: <strong" in html
    _no_english(html, ["Today's goals", "Use suggested", "Save my targets", " a day</label>", "Suggested <strong"])


def test_settings_appearance_and_what_the_coach_sees_are_german(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    html = rep.get("/settings").get_data(as_text=True)
    assert "<h2>Darstellung</h2>" in html and ">Wie dieses Gerät</button>" in html and ">Dunkel</button>" in html
    assert "<h2>Was dein Coach sieht</h2>" in html and "Meine harten Anrufe und Pausen mit meinem Coach teilen" in html
    _no_english(html, ["Appearance", "Same as this device", ">Dark<", "What your coach sees", "Share my tough calls"])
    assert "<h1>Einstellungen</h1>" in html and "<h2>Dein Spiel</h2>" in html and "Mein Tag beginnt um" in html
    assert "Vorschlag: <strong" in html and "Pausen nach einer Reihe von Neins" in html
    _no_english(html, ["Your game", "Working days", "My day starts at", "Save settings", "Use this device's timezone"])
    rep.post("/rewards", data={"label": "Kaffee", "threshold": "40", "metric": "dials"})
    html = rep.get("/settings").get_data(as_text=True)
    assert "<h2>Deine Belohnungen</h2>" in html and "Kaffee bei 40 Anrufen heute" in html
    assert 'placeholder="Kaffee"' in html
    _no_english(html, ["Your rewards", " at 40 dials today", "Add reward", ">Remove<", "Of today's"])


def _german_team(app, rep, name="Night Owls"):
    """A German coach (Cora) and a German member (Rita, the ``rep``) in one team: (coach, team id)."""
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach, name)
    join(rep, invite_token(coach, team_id))
    for person in (coach, rep):
        person.post("/settings/locale", data={"locale": "de"})
    return coach, team_id


def test_the_team_home_and_its_members_speak_german(app, rep):
    coach, team_id = _german_team(app, rep)
    html = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert ">Rangliste & Feed</a>" in html and ">Mitglieder</a>" in html and ">Diese Woche</a>" in html
    assert ">Größte Steigerung</a>" in html and ">% vom eigenen Ziel</a>" in html and "Team-Feed" in html
    assert "Vom Coach gewählt · Um mich herum: Alle sehen die ersten drei" in html and "Mit dem Team teilen" in html
    assert "Gleichstand heißt gleicher Platz." in html and ">Posten</button>" in html
    _no_english(html, ["Board &amp; feed", ">Members<", ">This week<", "Team feed", "Chosen by the coach", "Near me"])
    _no_english(html, ["Ties share a rank", "Share with the team", "A tip, a line", ">Post<"])
    html = rep.get(f"/teams/{team_id}/members").get_data(as_text=True)
    assert "Rita Rep (du)" in html and "<h2>Privatmodus</h2>" in html and "Mich aus den Ranglisten heraushalten" in html
    assert "Night Owls verlassen" in html and "Deine Anrufe, Punkte und Abzeichen bleiben deine." in html
    _no_english(html, ["(you)", "Private mode", "Keep me off the boards", "Leave the team", "stay yours"])
    html = coach.get(f"/teams/{team_id}/members").get_data(as_text=True)
    assert 'aria-label="Rita Rep zum Coach machen">Zum Coach machen</button>' in html and ">Entfernen</button>" in html
    assert "Als Coach gibst du die Rolle zuerst" in html
    _no_english(html, ["Make coach", ">Remove<", "Reset link", "As coach, hand the role"])


def test_a_flash_after_a_team_action_speaks_german(app, rep):
    _coach, team_id = _german_team(app, rep)
    response = rep.post(f"/teams/{team_id}/private", data={"private": "on"})
    assert response.status_code == 303
    html = rep.get(f"/teams/{team_id}/members").get_data(as_text=True)
    assert "Privatmodus an: Du bist aus den Ranglisten raus und siehst sie trotzdem." in html
    assert "Mich wieder in den Ranglisten zeigen" in html
    _no_english(html, ["Private mode on", "Show me on the boards again"])


def test_the_coach_page_speaks_german_signals_challenge_and_board_mode(app, rep):
    coach, team_id = _german_team(app, rep)
    for _ in range(3):  # Rita's own reset comes after three no's: a run the coach sees
        rep.tap("not_interested")
    html = coach.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    assert "<title>Coach · Night Owls · Closer</title>" in html and "Wer heute Unterstützung braucht" in html
    assert ">Reihe von Neins</span>" in html and "3 Neins am Stück (die Pause ist bei 3 vorgesehen)" in html
    assert "Harte Phase. Das sind die Zahlen, nicht du." in html and ">Neins am Stück</a>" in html
    assert "Ein freundliches Wort schicken" in html and "Wie es bei allen läuft" in html
    _no_english(html, ["Who needs a hand", "Run of no&#39;s", "in a row", "Tough run.", "Send a kind word"])
    assert "Wie Ranglisten angezeigt werden" in html and "> Um mich herum</label>" in html
    assert "> Ganze Rangliste</label>" in html and "> Privat</label>" in html
    _no_english(html, ["How boards are shown", "Near me", "Full board"])
    assert (
        ">Zielwert</label>" in html and ">Bis wann</label>" in html and '"week" selected>diese Woche</option>' in html
    )
    assert (
        ">Anrufe</option>" in html and "Challenge setzen" in html and "Einladungslinks" in html and "TV-Modus" in html
    )
    _no_english(
        html, ["Team challenge<", ">Target<", "By the end of", "this week<", "Set the challenge", "Invite links"]
    )
    _no_english(html, ["TV mode", "Export calls", "Webhooks and dialers", "not yet<", ">This week<"])
    refused = coach.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "0", "period": "week"})
    assert refused.status_code == 422
    assert "Gib eine ganze Zahl von 1 bis 100.000 ein." in refused.get_data(as_text=True)
    coach.post(f"/teams/{team_id}/challenge", data={"metric": "dials", "target": "1000", "period": "week"})
    html = coach.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    assert "Challenge gesetzt." in html and "Läuft: <strong>1.000 Anrufe diese Woche</strong>, bisher 3." in html
    assert "1.000 Anrufe diese Woche" in rep.get("/").get_data(as_text=True)  # the bar on Today
    coach.post(f"/teams/{team_id}/board-mode", data={"board_mode": "private"})
    assert "Ranglisten zeigen jetzt: Privat." in coach.get(f"/teams/{team_id}/coach").get_data(as_text=True)


def test_an_english_coach_reads_the_signals_and_the_challenge_in_english(app, rep):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep

    coach = new_rep(app, "coach@example.com", "Cora Coach")
    team_id = make_team(coach)
    join(rep, invite_token(coach, team_id))
    for _ in range(3):
        rep.tap("not_interested")
    coach.post(f"/teams/{team_id}/challenge", data={"metric": "sales", "target": "1", "period": "today"})
    html = coach.get(f"/teams/{team_id}/coach").get_data(as_text=True)
    assert "3 no&#39;s in a row (their reset comes at 3), and no reset yet." in html and "Tough run." in html
    assert "Running: <strong>1 sale today</strong>, 0 so far." in html and '"today" selected>today</option>' in html


def test_the_tv_speaks_the_browsers_language(app, rep, visitor):
    from tests.integration.team_helpers import tv_token

    coach, team_id = _german_team(app, rep)
    html = _german_page(visitor, f"/tv/{tv_token(coach, team_id)}")
    assert _lang_of(html) == "de" and "<title>Night Owls · Closer TV</title>" in html
    assert "Neueste Erfolge" in html and "Erfolge landen hier, sobald sie passieren." in html
    _no_english(html, ["Latest wins", "Wins land here"])


def _lang_of(html: str) -> str:
    return re.search(r'<html lang="([^"]+)"', html).group(1)


def test_a_team_name_refused_says_why_in_german(rep):
    rep.post("/settings/locale", data={"locale": "de"})
    empty = rep.post("/teams", data={"name": "", "timezone": "Europe/Berlin"})
    assert empty.status_code == 422 and "Gib dem Team einen Namen mit 1 bis 60 Zeichen." in empty.get_data(as_text=True)
    nul = rep.post("/teams", data={"name": "Eulen\x00", "timezone": "Europe/Berlin"})
    assert nul.status_code == 422 and "(ein Steuerzeichen)" in nul.get_data(as_text=True)
    _no_english(nul.get_data(as_text=True), ["control character", "Give the team a name"])


def test_webhooks_and_their_deliveries_speak_german(app, rep):
    from tests.integration.test_webhooks import Receiver

    app.config.update(WEBHOOK_ALLOW_PRIVATE=True)  # the receiver is on this machine
    coach, team_id = _german_team(app, rep)
    html = coach.get(f"/teams/{team_id}/webhooks").get_data(as_text=True)
    assert "<h1>Webhooks</h1>" in html and "Zurück zur Coach-Seite" in html and "> Termin vereinbart</label>" in html
    assert "Noch nichts gesendet." in html and "Letzte Zustellungen" in html and "> Jeder Anruf</label>" in html
    _no_english(html, ["Back to the coach", "Post the team", "Events<", "Meeting booked", "Nothing sent yet"])
    refused = coach.post(f"/teams/{team_id}/webhooks", data={"url": "ftp://example.com", "events": ["sale"]})
    assert refused.status_code == 422 and "Gib eine vollständige Adresse" in refused.get_data(as_text=True)
    receiver = Receiver()
    try:
        added = coach.post(f"/teams/{team_id}/webhooks", data={"url": receiver.url, "events": ["sale"]})
        assert "<strong>Webhook hinzugefügt.</strong>" in added.get_data(as_text=True)
        hook = re.search(r"/webhooks/(\d+)/test", added.get_data(as_text=True)).group(1)
        coach.post(f"/teams/{team_id}/webhooks/{hook}/test")
    finally:
        receiver.stop()
    html = coach.get(f"/teams/{team_id}/webhooks").get_data(as_text=True)
    assert "Test-Ereignis gesendet; sein Status steht unten." in html and "<strong>Test-Ereignis</strong> an " in html
    assert ">gesendet</span>" in html and "1 Versuch" in html and "Antwort 200" in html
    _no_english(html, ["Test event", ">sent<", "1 attempt", "answered 200"])


def test_dialer_codes_for_the_team_and_api_tokens_speak_german(app, rep):
    coach, team_id = _german_team(app, rep)
    html = coach.get(f"/teams/{team_id}/dispositions").get_data(as_text=True)
    assert "<h1>Dialer-Codes für Night Owls</h1>" in html and ">Erfasst als</th>" in html
    assert (
        ">Kein Interesse</option>" in html and "Team-Zuordnung speichern" in html and ">Weiterer Code</label>" in html
    )
    _no_english(html, ["Dialer codes for", "Logged as", ">Not interested<", "Save team mapping", "Another code"])
    refused = coach.post(f"/teams/{team_id}/dispositions", data={"new_code": "no spaces!", "new_outcome": "sale"})
    assert refused.status_code == 422
    assert "Ein Dispositionscode hat 1 bis 20 Buchstaben" in refused.get_data(as_text=True)
    coach.post(f"/teams/{team_id}/dispositions", data={"new_code": "DEMO", "new_outcome": "meeting"})
    assert "Team-Zuordnung gespeichert." in coach.get(f"/teams/{team_id}/dispositions").get_data(as_text=True)
    html = rep.get("/settings/integrations").get_data(as_text=True)
    assert "<title>Integrationen · Closer</title>" in html and "<h1>API-Tokens</h1>" in html
    assert "Noch keine Tokens." in html and "> Lesen und schreiben</label>" in html and "Dispositionen deines" in html
    _no_english(html, ["API tokens", "No tokens yet", "Read and write", "Your dialer", "Save mapping"])
    refused = rep.post("/settings/integrations/tokens", data={"name": "", "scope": "write"})
    assert refused.status_code == 422 and "Gib dem Token einen Namen" in refused.get_data(as_text=True)
    made = rep.post("/settings/integrations/tokens", data={"name": "Dialer", "scope": "read"}).get_data(as_text=True)
    assert "<strong>Dein neues Token „Dialer“.</strong>" in made and "zuletzt benutzt nie" in made
    _no_english(made, ["Your new token", "last used never", "Revoke"])


def test_the_buddy_nudges_and_their_answers_speak_german(app, rep):
    from tests.integration.team_helpers import invite_token, join, new_rep

    coach, team_id = _german_team(app, rep)
    max_ = new_rep(app, "max@example.com", "Max Member")
    join(max_, invite_token(coach, team_id))
    max_.post("/settings/locale", data={"locale": "de"})
    with app.app_context():
        ids = dict(db.session.execute(db.select(User.email, User.id)).all())
    rep.post(f"/teams/{team_id}/buddies/{ids['max@example.com']}/invite")
    html = rep.get(f"/teams/{team_id}/buddies").get_data(as_text=True)
    assert "Gefragt. Ihr seid Buddys, sobald die Anfrage angenommen ist." in html
    max_.post(f"/teams/{team_id}/buddies/{ids['rep@example.com']}/accept")
    line = rep.get("/today/buddy").get_data(as_text=True)
    assert (
        ">Du schaffst das. Noch ein Anruf?</button>" in line
        and ">Jedes Nein ist ein Schritt näher am Ja.</button>" in line
    )
    _no_english(line, ["You've got this", "Thinking of you", "Every no is a step"])
    sent = rep.post(f"/teams/{team_id}/buddies/nudge", htmx=True, data={"nudge": "cheer"}).get_data(as_text=True)
    assert "Schubser gesendet." in sent
    again = max_.post(f"/teams/{team_id}/buddies/nudge", htmx=True, data={"nudge": "break"})
    assert again.status_code == 409 and "Ein Schubser pro Stunde: Der nächste geht ab " in again.get_data(as_text=True)
    _no_english(sent + again.get_data(as_text=True), ["Nudge sent", "One nudge an hour"])


def test_a_huddle_refusal_speaks_german(app, rep):
    coach, team_id = _german_team(app, rep)
    refused = coach.post(f"/teams/{team_id}/huddle/plan", data={"enabled": "on", "time": "soon", "prompt": ""})
    assert refused.status_code == 422
    assert "Gib der Team-Runde eine Uhrzeit, etwa 09:00." in refused.get_data(as_text=True)
    coach.post(f"/teams/{team_id}/huddle/plan", data={"enabled": "on", "time": "09:00", "prompt": ""})
    too_long = rep.post(f"/teams/{team_id}/huddle/answer", htmx=True, data={"body": "x" * 200})
    assert "Bleib bei einer Zeile: unter 140 Zeichen (jetzt 200)." in too_long.get_data(as_text=True)
    rep.post(f"/teams/{team_id}/huddle/answer", data={"body": "Warme Leads zuerst"})
    again = rep.post(f"/teams/{team_id}/huddle/answer", data={"body": "Noch eine"})
    assert again.status_code == 303
    html = rep.get(f"/teams/{team_id}/huddle").get_data(as_text=True)
    assert "Du hast die heutige Team-Runde schon beantwortet." in html
    _no_english(html, ["You answered today", "Daily huddle", "Huddle saved"])
    home = rep.get(f"/teams/{team_id}").get_data(as_text=True)
    assert '<h2 id="huddle-title">Tägliche Team-Runde</h2>' in home and "Team-Runde öffnen" in home
    _no_english(home, ["Daily huddle", "Open the huddle"])


def _speak_german(rep):
    assert rep.post("/settings/locale", data={"locale": "de"}).status_code == 303


def test_the_wins_page_is_german_even_for_wins_logged_in_english(rep):
    rep.tap("meeting")  # logged while the rep read English: the log keeps the English it was written in
    _speak_german(rep)
    html = rep.get("/wins").get_data(as_text=True)
    assert "<title>Erfolge · Closer</title>" in html and "<h1>Erfolge</h1>" in html
    assert "<strong>Termin vereinbart</strong>" in html and "Jedes Abzeichen, Ziel, Level" in html
    assert "<strong>Abzeichen: Erster Anruf</strong>" in html and "Erfasse deinen ersten Anruf." in html
    _no_english(
        html, ["Every badge, goal", "Meeting booked", "Badge:", "First dial", "Log your first call.", "Reached"]
    )


def test_an_english_rep_reads_the_wins_in_english(rep):
    rep.tap("meeting")
    html = rep.get("/wins").get_data(as_text=True)
    assert "<strong>Meeting booked</strong>" in html and "<strong>Badge: First dial</strong>" in html


def test_a_reset_from_choosing_it_to_its_timer_speaks_german(rep):
    _speak_german(rep)
    html = rep.get("/resets/new").get_data(as_text=True)
    assert "<h1>Mach eine Pause</h1>" in html and "<strong>Box-Atmung</strong>" in html and "Wie lange?" in html
    assert "<span>2 Min.</span>" in html and ">Spaziergang</button>" in html
    _no_english(html, ["Take a reset", "Box breathing", "How long?", " min<", ">Stretch<", ">Walk<", "One to five"])
    response = rep.post("/resets", data={"kind": "breathing", "minutes": "1"})
    reset_url = response.headers["Location"]
    html = rep.get(reset_url).get_data(as_text=True)
    assert "<h1>Box-Atmung · 1 Min.</h1>" in html and "Atme 4 Sekunden durch die Nase ein." in html
    assert ">Ich bin bereit</button>" in html and "Schneller wieder fit?" in html and ">Einatmen</p>" in html
    _no_english(html, ["Breathe in through", "Time taken so far", "Feeling better sooner", ">left<", "I&#39;m ready"])
    refused = rep.post(f"{reset_url}/finish")
    assert refused.status_code == 422
    assert re.search(r"Fast geschafft: noch \d+ Sekunden\.", refused.get_data(as_text=True))
    wrong = rep.post("/resets", data={"kind": "nap", "minutes": "1"})
    assert wrong.status_code == 422 and "Wähle eine Atempause, Dehnen oder einen Spaziergang." in wrong.get_data(
        as_text=True
    )


def test_that_was_tough_and_the_recent_calls_speak_german(rep):
    import uuid

    _speak_german(rep)
    client_id = str(uuid.uuid4())
    rep.tap("not_interested", client_id)
    html = rep.get("/calls/recent").get_data(as_text=True)
    assert "<h1>Letzte Anrufe</h1>" in html and ">Rückblick</a>" in html and ">Das war hart</button>" in html
    assert 'aria-label="Das war hart: Kein Interesse um ' in html and "Heute, " in html
    _no_english(html, ["Recent calls", ">Review<", "That was tough", "Today&#39;s and yesterday", "Today,"])
    html = rep.post(f"/calls/{client_id}/tough", htmx=True).get_data(as_text=True)
    assert "Wie lange?" in html and ">Box-Atmung</button>" in html and ">Dehnen</button>" in html
    _no_english(html, ["How long?", ">Box breathing<", " min<"])
    html = rep.get("/calls/recent").get_data(as_text=True)
    assert '<span class="tag">hart</span>' in html and '<span class="tag">tough</span>' not in html
    review = rep.get(f"/calls/{client_id}/review").get_data(as_text=True)
    assert "<title>Rückblick auf einen Anruf · Closer</title>" in review and "Ein Nein ist Feedback" in review
    assert "Kein Interesse um " in review
    rep.post(f"/calls/{client_id}/review", data={"objection": "no_budget"})
    assert "Rückblick gespeichert: +3 Punkte." in rep.get("/calls/recent").get_data(as_text=True)


def test_the_notifications_list_speaks_german_and_words_an_english_item_again(app, rep):
    from tests.integration.test_inbox import post, reminder

    _speak_german(rep)
    item = reminder(app)  # stored in English: "Ready for the first dial?"
    post(app, title="Sam sagt: super", body="")
    html = rep.get("/notifications").get_data(as_text=True)
    assert '<h1 id="inbox-title">Benachrichtigungen</h1>' in html and "2 ungelesen" in html
    assert "Bereit für den ersten Anruf?" in html and ">1 Std. später</button>" in html and "Sam sagt: super" in html
    assert 'aria-label="Benachrichtigungen, 2 ungelesen"' in html and "Alle als gelesen markieren" in html
    _no_english(html, ["Mark all read", "Ready for the first dial?", "Snooze", "2 unread", "Choose what you hear"])
    rep.post(f"/notifications/{item}/snooze")
    rep.post("/notifications/read")
    html = rep.get("/notifications").get_data(as_text=True)
    assert "Verschoben: Wenn es in einer Stunde" in html and "Alles gelesen" in html and ">Verschoben</span>" in html
    _no_english(html, ["Snoozed", "All read"])


def test_notification_settings_speak_german_with_their_errors(rep):
    from tests.integration.test_inbox import settings_form

    _speak_german(rep)
    html = rep.get("/settings").get_data(as_text=True)
    assert "Benachrichtigungen auf diesem Gerät" in html and "Schubser zum Tagesstart um" in html
    assert "Ruhezeit: nichts zwischen" in html and ">4 Std.</option>" in html and "Serie in Gefahr" in html
    _no_english(html, ["Notifications on this device", "Start-of-day nudge", "Quiet hours", "Tell me about", " h</"])
    refused = rep.post("/settings/notifications", data=settings_form(nudge_at="soon"))
    assert refused.status_code == 422
    assert "Gib die Zeit für den Schubser als Uhrzeit ein, etwa 09:15." in refused.get_data(as_text=True)
    rep.post("/settings/notifications", data=settings_form())
    assert "Benachrichtigungseinstellungen gespeichert." in rep.get("/settings").get_data(as_text=True)


def test_a_german_reps_reminder_is_written_in_german_and_an_english_reps_in_english(app, rep):
    from tests.integration.team_helpers import new_rep
    from tests.integration.test_reminder_worker import at, every_day_is_working, minute, reminders

    _speak_german(rep)
    new_rep(app, "eve@example.com", "Eve English")
    for email in ("rep@example.com", "eve@example.com"):
        every_day_is_working(app, email, current=5, goal=20)  # the streak's minimum: 10 dials
    minute(app, at("20:00"))
    ((_, _, title, body),) = reminders(app)
    assert "10 Anrufe" in title + body and "dial" not in title + body
    ((_, _, title, body),) = reminders(app, "eve@example.com")
    assert "10 dials" in title + body


def test_a_teammates_win_reaches_a_german_rep_in_german(app, rep):
    from tests.integration.team_helpers import invite_token, join, make_team, new_rep
    from webapp.models import InboxItem
    from webapp.worker import run_minute

    team_id = make_team(rep)
    mate = new_rep(app, "mo@example.com", "Mo Mate")
    join(mate, invite_token(rep, team_id))
    _speak_german(rep)
    mate.tap("meeting")
    with app.app_context():
        run_minute()
        items = db.session.execute(db.select(InboxItem.title, InboxItem.body)).all()
    assert [tuple(item) for item in items] == [
        ("Mo Mate: Termin vereinbart", "Ein Erfolg fürs Team. Gib ein High five.")
    ]


def test_every_settings_section_speaks_german(rep):
    _speak_german(rep)
    html = rep.get("/settings").get_data(as_text=True)
    assert "<h2>Wo du angemeldet bist</h2>" in html and "Unbekannter Browser (dieses Gerät)" in html
    assert "zuletzt aktiv heute, " in html and "Nur dieses Gerät." in html
    assert "<h2>Wochenübersicht per E-Mail</h2>" in html and "<h2>Dialer, CRMs und deine Daten</h2>" in html
    assert (
        "<h2>Passwort ändern</h2>" in html
        and ">Aktuelles Passwort</label>" in html
        and "Mindestens 10 Zeichen." in html
    )
    _no_english(
        html,
        ["Where you are logged in", "this device", "last active", "Weekly summary", "Change password", "Current pass"],
    )
    _no_english(html, ["At least 10 characters", "Dialers, CRMs", "Unknown browser", "Only this device", "Download my"])
    refused = rep.post("/settings/password", data={"current_password": "not it", "new_password": "a new long one"})
    assert refused.status_code == 422 and "Das ist nicht dein aktuelles Passwort." in refused.get_data(as_text=True)
    rep.post("/settings/sessions/others/end")
    assert "Es waren keine anderen Sitzungen offen." in rep.get("/settings").get_data(as_text=True)
    rep.post("/settings/streak/minimum", data={"min_dials": "1"})
    assert "1 Anruf am Tag hält deine Serie." in rep.get("/settings").get_data(as_text=True)
    rep.post("/settings/streak/minimum", data={"min_dials": "12"})
    assert "12 Anrufe am Tag halten deine Serie." in rep.get("/settings").get_data(as_text=True)
    refused = rep.post("/settings/game", data={"working_days": "1", "day_start_hour": "0", "goal_dials": "0"})
    assert refused.status_code == 422 and "Gib eine ganze Zahl von 1 bis 1000 ein." in refused.get_data(as_text=True)
    refused = rep.post("/rewards", data={"label": "", "threshold": "40", "metric": "dials"})
    assert "Der Name der Belohnung fehlt noch." in refused.get_data(as_text=True)


def test_your_data_page_speaks_german(rep):
    _speak_german(rep)
    html = rep.get("/settings/data").get_data(as_text=True)
    assert "<title>Deine Daten · Closer</title>" in html and "<h1>Deine Daten</h1>" in html
    assert ">Nur das JSON</a>: die Datei" in html and "<h2>Einen Closer-Export importieren</h2>" in html
    assert "<strong>Das lässt sich nicht rückgängig machen.</strong>" in html and "Mein Konto endgültig löschen" in html
    _no_english(html, ["Your data", "Only the JSON", "Import a Closer", "This cannot be undone", "Delete my account"])
    refused = rep.post("/settings/data/delete", data={"password": "not it"})
    assert refused.status_code == 422
    assert "Das ist nicht dein Passwort; es wurde nichts gelöscht." in refused.get_data(as_text=True)


def test_a_time_off_refusal_counts_its_days_in_german(rep):
    from datetime import date, timedelta

    _speak_german(rep)
    start = date.today() + timedelta(days=10)
    too_long = {"first": start.isoformat(), "last": (start + timedelta(days=60)).isoformat(), "kind": "holiday"}
    refused = rep.post("/settings/time-off", data=too_long)
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "Freie Tage gehen höchstens 60 Tage am Stück." in html
    _no_english(html, ["Time off is at most", " days at a time"])
    back = (date.today() - timedelta(days=9)).isoformat()
    html = rep.post("/settings/time-off", data={"first": back, "last": "", "kind": "sick"}).get_data(as_text=True)
    assert "Freie Tage können höchstens 7 Tage zurück beginnen, am " in html and "Ältere Tage sind schon" in html
    rep.post("/settings/time-off", data={"first": start.isoformat(), "last": "", "kind": "holiday"})
    html = rep.post("/settings/time-off", data={"first": start.isoformat(), "kind": "sick"}).get_data(as_text=True)
    assert "Freie Tage gespeichert." in html  # the flash of the range saved just before
    assert "Das überschneidet sich mit deinen freien Tagen vom " in html


def test_an_english_time_off_refusal_counts_its_days_in_english(rep):
    from datetime import date, timedelta

    start = date.today() + timedelta(days=10)
    too_long = {"first": start.isoformat(), "last": (start + timedelta(days=60)).isoformat(), "kind": "holiday"}
    assert "Time off is at most 60 days at a time." in rep.post("/settings/time-off", data=too_long).get_data(
        as_text=True
    )
