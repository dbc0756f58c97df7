"""The OpenAPI document, and schemathesis fuzzing the real app against it as a logged-in rep."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.integration.team_helpers import make_team

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 25
# At least one of these statuses shows the fuzzing reached the code behind the login (200 unless said here).
EXPECTED = {
    ("sync", GenerationMode.NEGATIVE): {422},
    ("teamLeaderboard", GenerationMode.POSITIVE): {200, 404},
    ("teamLeaderboard", GenerationMode.NEGATIVE): {400, 404},
    # Push is off without VAPID keys (409); a made-up subscription is refused (422).
    ("pushSubscribe", GenerationMode.POSITIVE): {201, 409, 422},
    ("pushSubscribe", GenerationMode.NEGATIVE): {409, 422},
    ("pushUnsubscribe", GenerationMode.POSITIVE): {204},
    ("pushUnsubscribe", GenerationMode.NEGATIVE): {422},
    ("snoozeNotification", GenerationMode.POSITIVE): {404},
}


def test_the_document_is_openapi_3_1_and_names_every_route(visitor):
    document = visitor.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert set(document["paths"]) == {
        "/api/v1/me/today",
        "/api/v1/me/summary",
        "/api/v1/csrf",
        "/api/v1/sync",
        "/api/v1/teams/{team_id}/leaderboard",
        "/api/v1/calls",
        "/api/v1/dialer/{dialer_token}/disposition",
        "/api/v1/push/subscriptions",
        "/api/v1/push/subscriptions/remove",
        "/api/v1/notifications/{item_id}/snooze",
    }
    calls = document["paths"]["/api/v1/calls"]
    assert "curl" in calls["post"]["description"] and "curl" in calls["get"]["description"]
    assert set(calls["post"]["responses"]) >= {"200", "401", "403", "422"}
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    sync = document["paths"]["/api/v1/sync"]["post"]
    assert sync["requestBody"]["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/SyncBatch"
    assert set(sync["responses"]) >= {"200", "400", "401", "422"}
    error = document["components"]["schemas"]["Error"]
    assert error["required"] == ["error", "message"]
    item = document["components"]["schemas"]["SyncItem"]
    assert item["properties"]["kind"]["enum"] == ["tap", "undo"]
    assert document["components"]["schemas"]["SyncBatch"]["properties"]["items"]["maxItems"] == 1000


def every_rejection_says_why(response, case):
    """A 4xx carries a JSON body with an error code and a message for a person."""
    if 400 <= response.status_code < 500:
        body = response.json()
        assert body.get("error") and body.get("message"), (response.status_code, body)


@pytest.mark.parametrize(
    "operation_id, mode",
    [
        ("meToday", GenerationMode.POSITIVE),
        ("meSummary", GenerationMode.POSITIVE),
        ("csrfToken", GenerationMode.POSITIVE),
        ("sync", GenerationMode.POSITIVE),
        ("teamLeaderboard", GenerationMode.POSITIVE),
        # The sync's body and the board's path and query are what can be wrong.
        ("sync", GenerationMode.NEGATIVE),
        ("teamLeaderboard", GenerationMode.NEGATIVE),
        ("pushSubscribe", GenerationMode.POSITIVE),
        ("pushSubscribe", GenerationMode.NEGATIVE),
        ("pushUnsubscribe", GenerationMode.POSITIVE),
        ("pushUnsubscribe", GenerationMode.NEGATIVE),
        ("snoozeNotification", GenerationMode.POSITIVE),
    ],
)
def test_fuzzing_finds_no_server_error_and_every_refusal_has_a_message(app, rep, operation_id, mode):
    make_team(rep, "Fuzzed Owls")  # the board's team: an id the rep may see, and every other one a 404
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema.find_operation_by_id(operation_id)
    token = rep.refresh_token()
    cookie = rep.client.get_cookie("session")
    headers = {"X-CSRFToken": token}
    cookies = {"session": cookie.value}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    # The session cookie is pinned: fuzzing the body, not the login.
    @given(case=operation.as_strategy(generation_mode=mode, cookies=cookies))
    def run(case):
        response = case.call(headers=headers, cookies=cookies)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)
        every_rejection_says_why(response, case)

    statuses: list[int] = []
    run()
    # The fuzzing ran as the logged-in rep, not against the login wall.
    expected = EXPECTED.get((operation_id, mode), {200})
    assert expected & set(statuses), statuses


@pytest.mark.parametrize(
    "operation_id, mode",
    [
        ("logCalls", GenerationMode.POSITIVE),
        ("logCalls", GenerationMode.NEGATIVE),
        ("listCalls", GenerationMode.POSITIVE),
        ("meSummary", GenerationMode.POSITIVE),
    ],
)
def test_fuzzing_with_a_token_finds_no_server_error(app, rep, operation_id, mode):
    from tests.integration.api_helpers import bearer, make_token

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema.find_operation_by_id(operation_id)
    headers = bearer(make_token(rep))

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call(headers=headers)
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS, headers=headers)
        every_rejection_says_why(response, case)

    statuses: list[int] = []
    run()
    assert 401 not in statuses, "the token is used, not the login wall"
    expected = {GenerationMode.POSITIVE: 200, GenerationMode.NEGATIVE: 422}[mode]
    assert expected in statuses or (mode is GenerationMode.NEGATIVE and 400 in statuses), statuses


def test_fuzzing_the_dialer_url_with_its_token_finds_no_server_error(app, rep):
    from tests.integration.api_helpers import make_token

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operation = schema.find_operation_by_id("dialerDisposition")
    path = {"dialer_token": make_token(rep)}

    @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=GenerationMode.POSITIVE, path_parameters=path))
    def run(case):
        response = case.call()
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)
        every_rejection_says_why(response, case)

    statuses: list[int] = []
    run()
    assert 401 not in statuses and 200 in statuses, statuses
