"""The secret scan: live-looking credentials fail, obvious placeholders pass."""

from __future__ import annotations

import shutil

import pytest

from conftest import PROJECT, ROOTS, make_project_app, project_catalog, run_cli, warnings_of
from wispgate_connectors.catalog import load_catalog
from wispgate_connectors.secrets import scan_project, scan_text

LIVE = [
    ("stripe", "api_key: sk_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD", "a live secret key (Stripe, Paystack)"),
    ("restricted", "key: rk_live_51HqLyjWDarjtT1zdp7dcQ", "a live secret key (Stripe, Paystack)"),
    ("whsec", "secret: whsec_8f3KqL0pZr2mN7vX1cT9bY4hJ6wE5sD", "a Stripe webhook signing secret"),
    ("aws", "aws_access_key_id = AKIAQ3EGZ7KPWXMRNVTB", "an AWS access key id"),
    ("pem", "-----BEGIN RSA PRIVATE KEY-----", "a private key"),
    ("openssh", "-----BEGIN OPENSSH PRIVATE KEY-----", "a private key"),
    ("github", "token: ghp_R8s7dK2mX9pL4qW1zN6vB3cT5yH0jF8gA2eU", "a GitHub token"),
    ("google", "key=AIzaSyD8f3KqL0pZr2mN7vX1cT9bY4hJ6wE5sD1", "a Google API key"),
    ("twilio", "AccountSid: AC3f9e2b7c1d4a6f8e0b2c4d6e8f0a1b3c", "a Twilio Account SID or API key"),
    ("jwt", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r", "a JSON Web Token"),
    (
        "meta",
        "EAAGm0PX4ZCpsBAKq8Z" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8s9T0u1V2w3X4y5Z6",
        "a Meta/Facebook access token",
    ),
    ("entropy", "token: Zx8Kq2LmP9vN4tR7wY1sD6fH3jB5gC0aQe", "a live credential or token"),
]

PLACEHOLDERS = [
    "api_key: sk_test_...",
    "api_key: sk_live_...",
    "secret: whsec_...",
    "secret: whsec_xxxxxxxxxxxxxxxxxxxxxxxx",
    "key: <your-api-key>",
    "Authorization: Bearer <token>",
    "AccountSid: ACxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "aws_access_key_id = AKIAEXAMPLEEXAMPLE12",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "url: https://developers.google.com/maps/documentation/geocoding/requests-geocoding",
    "token: your-api-token-goes-here-please-change",
]


@pytest.mark.parametrize("name,line,what", LIVE, ids=[c[0] for c in LIVE])
def test_live_looking_values_are_reported_with_line(name, line, what):
    problems = scan_text(f"id: x\n{line}\n", "data/connectors/x.yaml")
    assert problems, line
    assert problems[0].line == 2 and what in problems[0].message
    assert str(problems[0]).startswith("data/connectors/x.yaml:2: looks like")


@pytest.mark.parametrize("line", PLACEHOLDERS)
def test_obvious_placeholders_pass(line):
    assert scan_text(line + "\n", "x.md") == []


def test_explicit_reviewed_exception():
    assert scan_text("key: sk_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD  # wg-secret-scan: ignore\n", "x") == []


def test_shipped_project_has_no_secrets():
    assert scan_project(PROJECT, project_catalog()) == []


def copy_root(tmp_path):
    root = tmp_path / "p"
    shutil.copytree(ROOTS / "test-basic", root)
    return root


def test_secret_field_needs_a_placeholder_example(tmp_path):
    root = copy_root(tmp_path)
    alpha = root / "data/connectors/alpha.yaml"
    alpha.write_text(alpha.read_text().replace("example: <your-secret>", "example: s3cr3tRadius!"))
    problems = [str(p) for p in scan_project(root, load_catalog(root))]
    assert problems == [
        "data/connectors/alpha.yaml:30: fields[1].example: a secret field's example must be an obvious "
        "placeholder such as <your-secret> or sk_test_..., not 's3cr3tRadius'"
    ]


def test_check_and_build_fail_on_a_live_key(tmp_path):
    root = copy_root(tmp_path)
    page = root / "concept.md"
    page.write_text(page.read_text() + "\nUse `sk_live_51HqLyjWDarjtT1zdp7dcXyZ0aBcD` here.\n")
    result = run_cli("check", str(root))
    assert result.returncode == 1
    assert result.stdout.startswith("concept.md:8: looks like a live secret key (Stripe, Paystack) (sk_live_51Hq...)")
    app = make_project_app(root, freshenv=True)
    try:
        app.build()
    finally:
        app.cleanup()
    assert any(
        w.startswith("concept.md:8: WARNING: looks like a live secret key (Stripe, Paystack)")
        and "[wispgate.secret]" in w
        for w in warnings_of(app)
    )
