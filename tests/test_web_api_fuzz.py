"""The API fuzzed from its own OpenAPI document (schemathesis): generated requests to every operation, with the
tokens of each role, never get a 5xx answer. Bounded: a fixed number of examples per operation and role."""

from __future__ import annotations

from typing import Any

import pytest

from .web_helpers import Web

pytestmark = pytest.mark.slow

EXAMPLES = 25  # per operation and role: ~2 minutes in all at most on the CI machine


def test_openapi_document_lists_the_api(web: Web) -> None:
    doc = web.client().get("/api/v1/openapi.json").json()
    paths = set(doc["paths"])
    assert {"/api/v1/me", "/api/v1/reports", "/api/v1/reports/{report_id}", "/api/v1/reports/{report_id}/cells",
            "/api/v1/reports/{report_id}/findings", "/api/v1/findings/{finding_id}/review", "/api/v1/uploads",
            "/api/v1/jobs", "/api/v1/jobs/{job_id}"} <= paths
    assert not any(p.startswith(("/login", "/reports", "/admin")) for p in paths)  # pages stay out of the API doc


def test_no_server_errors_for_generated_requests(web: Web) -> None:
    import schemathesis
    from hypothesis import HealthCheck, given, settings

    from zfxxgk.web.accounts import add_token, user_by_name

    engine = web.app.state.store.engine
    tokens = {name: add_token(engine, user_by_name(engine, name).id, "fuzz")  # type: ignore[union-attr]
              for name in ("admin", "reviewer", "hongze")}
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", web.app)
    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9

    def fuzz(operation: Any, name: str, token: str) -> None:
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def run(case: Any) -> None:
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            if response.status_code >= 500:
                failures.append(f"{name}: {case.method} {case.formatted_path} {case.query} → "
                                f"{response.status_code} {response.text[:200]}")

        run()

    for operation in operations:
        for name, token in tokens.items():
            fuzz(operation, name, token)
    assert failures == []
