"""The installable, offline-capable app: manifest, service worker, versioned static files."""

from __future__ import annotations

import json
import os
import re

from webapp import create_app
from webapp.views.pwa import asset_version


def fetch_status(client, url) -> int:
    """GET a file and close the response (send_file keeps the file open until then)."""
    response = client.get(url)
    response.close()
    return response.status_code


def test_the_service_worker_is_served_at_the_top_with_scope_and_no_http_cache(visitor):
    response = visitor.get("/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.headers["Service-Worker-Allowed"] == "/"


def test_the_service_worker_carries_the_asset_version_and_precaches_versioned_files(app, visitor):
    source = visitor.get("/sw.js").get_data(as_text=True)
    version = app.config["ASSET_VERSION"]
    assert f'var VERSION = "{version}";' in source
    assert "__CLOSER_" not in source
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", source).group(1))
    assert f"/static/css/app.css?v={version}" in precache
    assert f"/static/js/app.js?v={version}" in precache
    assert f"/static/js/outbox.js?v={version}" in precache
    assert not any("sw.js" in url for url in precache)
    assert f"/static/js/outbox-replay.js?v={version}" in precache
    assert f'importScripts("/static/js/outbox.js?v={version}", "/static/js/outbox-replay.js?v={version}")' in source


def test_every_precached_file_exists(visitor):
    source = visitor.get("/sw.js").get_data(as_text=True)
    for url in json.loads(re.search(r"var PRECACHE = (\[.*?\]);", source).group(1)):
        assert fetch_status(visitor, url) == 200, url


def test_the_version_changes_when_a_static_file_or_the_salt_changes(tmp_path):
    (tmp_path / "a.css").write_text("body { color: red; }")
    before = asset_version(str(tmp_path))
    assert asset_version(str(tmp_path)) == before
    assert asset_version(str(tmp_path), salt="2") != before
    (tmp_path / "a.css").write_text("body { color: blue; }")
    assert asset_version(str(tmp_path)) != before


def test_a_deploy_salt_changes_the_service_worker_bytes(app, tmp_path):
    other = create_app({**app.config, "CLOSER_ASSET_VERSION": "next-deploy"})
    assert other.config["ASSET_VERSION"] != app.config["ASSET_VERSION"]
    old = app.test_client().get("/sw.js").get_data()
    new = other.test_client().get("/sw.js").get_data()
    assert old != new


def test_the_manifest_describes_an_installable_app(visitor):
    response = visitor.get("/manifest.json")
    assert response.status_code == 200
    assert response.mimetype == "application/manifest+json"
    manifest = response.get_json()
    response.close()
    assert manifest["name"] == "Closer" and manifest["short_name"]
    assert manifest["start_url"].startswith("/") and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    for icon in manifest["icons"]:
        assert fetch_status(visitor, icon["src"]) == 200


def test_pages_link_static_files_with_the_version(app, rep):
    html = rep.get("/").get_data(as_text=True)
    version = app.config["ASSET_VERSION"]
    static_urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', html)
    assert static_urls
    assert all(url.endswith(f"?v={version}") for url in static_urls), static_urls
    assert 'href="/manifest.json"' in html


def test_versioned_static_files_are_cached_for_a_year_unversioned_are_not(app, visitor):
    version = app.config["ASSET_VERSION"]
    cached = visitor.get(f"/static/css/app.css?v={version}")
    cached.close()
    assert "immutable" in cached.headers["Cache-Control"]
    assert "max-age=31536000" in cached.headers["Cache-Control"]
    plain = visitor.get("/static/css/app.css")
    plain.close()
    assert "immutable" not in (plain.headers.get("Cache-Control") or "")


def test_the_main_screen_carries_what_the_offline_shell_needs(rep):
    html = rep.get("/").get_data(as_text=True)
    for marker in (
        'id="install-app"',
        'id="update-banner"',
        "New version ready - ",
        'id="sync-status"',
        'id="sync-refused"',
        'id="ios-install"',
        "Tap Share, then Add to Home Screen",
        "data-user-id=",
        "data-timezone=",
        'data-day="',
        'data-as-of="',
    ):
        assert marker in html, marker
    assert re.search(r'<script src="/static/js/outbox\.js\?v=\w+" defer>', html)


def test_latest_calls_carry_their_ids_for_the_outbox(rep):
    rep.tap("sale", "1b4e28ba-2fa1-11d2-883f-0016d3cca427")
    html = rep.get("/").get_data(as_text=True)
    assert 'data-client-id="1b4e28ba-2fa1-11d2-883f-0016d3cca427"' in html
    assert 'data-outcome="sale"' in html


def page_script_parts(app) -> list[str]:
    """The parts app.js loads, read from its PARTS list."""
    with open(os.path.join(app.static_folder, "js", "app.js"), encoding="utf-8") as handle:
        listing = re.search(r"const PARTS = \[(.*?)\];", handle.read(), re.S).group(1)
    return re.findall(r'"([\w-]+)"', listing)


def test_every_part_of_the_page_script_is_precached_at_this_version(app, visitor):
    source = visitor.get("/sw.js").get_data(as_text=True)
    precache = json.loads(re.search(r"var PRECACHE = (\[.*?\]);", source).group(1))
    parts = page_script_parts(app)
    assert {"today-screen", "taps", "sync", "worker", "install"} <= set(parts)
    for name in parts:
        assert f"/static/js/{name}.js?v={app.config['ASSET_VERSION']}" in precache, name


def test_no_page_script_part_imports_another_without_the_version(app):
    # A static import asks for its file without ``?v=``: the worker would fetch it from
    # the network instead of its cache. app.js imports every part with its own version.
    folder = os.path.join(app.static_folder, "js")
    for name in os.listdir(folder):
        with open(os.path.join(folder, name), encoding="utf-8") as handle:
            source = handle.read()
        assert not re.search(r"^\s*(import(\s+[\w{*]|\s*[\"'{*])|export\s[^\n]*\sfrom\s)", source, re.M), name
