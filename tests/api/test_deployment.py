"""The configurations scripts/server renders: supervisord's and HAProxy's.

Rendered as scripts/server renders them, then read by the programs
themselves (supervisord's own parser, ``haproxy -c``), so a template that
the programs would refuse fails here rather than at the next server start.
The server's bad input (``--nodes``) is refused before anything starts.
"""

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from jinja2 import UndefinedError
from supervisor.options import ServerOptions

from my_site.deployment import generate, settings
from my_site.deployment.render import main, render

REPO_ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "mode": "production",
    "profile": "instance",
    "nodes": "2",
    "worker": "1",
    "venv": "/srv/my-site/.venv",
    "tls_dir": "/srv/my-site/var/tls",
    "host": "127.0.0.1",
    "server_port": "5000",
    "ui_node_port": "5081",
    "api_node_port": "5082",
    "ui_stats_port": "5091",
    "api_stats_port": "5092",
    "celery_queues": "celery,low",
    "flower_port": "5555",
    "rabbitmq_management_port": "15872",
    "start_retries": "5",
    "user": "operator",
    "ctl_password": "s3cret",
}


def supervisor_programs(tmp_path, monkeypatch, values):
    """The programs of the rendered configuration, as supervisord reads them.

    The project is ``tmp_path`` (supervisord wants its folders to exist).
    """
    monkeypatch.setenv("MY_SITE_FLOWER_PASSWORD", "flower-pw")
    monkeypatch.setenv("MY_SITE_MQ_ADMIN_PASSWORD", "mq-pw")
    run_dir = tmp_path / "var" / "server"
    (tmp_path / "var" / "log").mkdir(parents=True)
    run_dir.mkdir()
    paths = {
        "repo": str(tmp_path),
        "var_dir": str(tmp_path / "var"),
        "log_dir": str(tmp_path / "var" / "log"),
        "run_dir": str(run_dir),
        "nginx_dir": str(run_dir / "nginx"),
    }
    conf = run_dir / "supervisord.conf"
    conf.write_text(render("supervisord.conf", {**values, **paths}))
    options = ServerOptions()
    options.realize(["-c", str(conf)])
    return {
        program.name: program
        for group in options.process_group_configs
        for program in group.process_configs
    }


def test_production_runs_every_process_under_supervisord(tmp_path, monkeypatch):
    """Two nodes of each application on their own ports, two workers, Celery started later."""
    programs = supervisor_programs(tmp_path, monkeypatch, PRODUCTION)

    assert set(programs) == {
        "nginx", "haproxy", "ui-1", "ui-2", "api-1", "api-2",
        "worker-1", "worker-2", "beat", "jobs", "flower",
    }  # fmt: skip
    assert programs["ui-2"].environment["MY_SITE_UWSGI_PORT"] == "5083"
    assert programs["api-2"].environment["MY_SITE_UWSGI_PORT"] == "5084"
    assert programs["api-2"].environment["MY_SITE_UWSGI_STATS"] == "127.0.0.1:5094"
    assert all(program.autorestart for program in programs.values())
    assert not any(programs[name].autostart for name in ("worker-1", "worker-2", "beat", "jobs", "flower"))
    assert "--task-events" in programs["worker-2"].command
    assert "--hostname my-site-instance-2@%h" in programs["worker-2"].command
    # The password reaches Flower's environment; the file itself names only the variable.
    assert programs["flower"].environment["FLOWER_BASIC_AUTH"] == "admin:flower-pw"
    assert "flower-pw" not in (tmp_path / "var" / "server" / "supervisord.conf").read_text()
    assert programs["nginx"].stdout_logfile == str(tmp_path / "var" / "log" / "nginx.log")
    assert programs["nginx"].stdout_logfile_maxbytes == 10 * 1024 * 1024


def test_development_runs_the_dev_server_and_no_jobs_for_tests(tmp_path, monkeypatch):
    """The development server, one worker and beat; the test profile has no jobs scheduler."""
    values = {**PRODUCTION, "mode": "development", "profile": "test", "nodes": "1"}
    programs = supervisor_programs(tmp_path, monkeypatch, values)

    assert set(programs) == {"web", "worker-1", "beat"}
    assert programs["web"].command.startswith("/srv/my-site/.venv/bin/invenio run --host 127.0.0.1 --port 5000")
    assert programs["web"].stopasgroup  # the dev server's reloader child stops with it
    assert "--task-events" not in programs["worker-1"].command


def test_no_worker_leaves_celery_out(tmp_path, monkeypatch):
    """--no-worker: the web tier only."""
    programs = supervisor_programs(tmp_path, monkeypatch, {**PRODUCTION, "worker": "0"})

    assert set(programs) == {"nginx", "haproxy", "ui-1", "ui-2", "api-1", "api-2"}


def test_haproxy_configuration_is_valid_and_checks_every_node(tmp_path):
    """``haproxy -c`` accepts it; each node is checked; only GET and HEAD are retried."""
    conf = tmp_path / "haproxy.cfg"
    conf.write_text(
        render(
            "haproxy.cfg",
            {
                "host": "127.0.0.1", "nodes": "3", "user": "", "check_interval": "2s",
                "ui_port": "5071", "api_port": "5072", "stats_port": "5079",
                "ui_node_port": "5081", "api_node_port": "5082",
            },
        )
    )  # fmt: skip
    # HAProxy is Debian's, in /usr/sbin (run-tests.sh installs it).
    check = subprocess.run(["/usr/sbin/haproxy", "-c", "-f", str(conf)], capture_output=True, text=True)
    text = conf.read_text()

    assert check.returncode == 0, check.stdout + check.stderr
    for server in ("ui-1 127.0.0.1:5081", "ui-3 127.0.0.1:5085", "api-3 127.0.0.1:5086"):
        assert f"server {server}\n" in text
    assert "http-check send meth GET uri /ping " in text
    assert "http-check send meth GET uri /api/health " in text
    assert text.count("http-request disable-l7-retry unless METH_GET") == 2


def test_an_undefined_value_is_an_error():
    """A value the template needs but was not given stops the rendering."""
    with pytest.raises(UndefinedError):
        render("haproxy.cfg", {"host": "127.0.0.1"})
    result = CliRunner().invoke(main, ["haproxy.cfg", "not-a-pair"])
    assert result.exit_code == 2
    assert "'not-a-pair' is not NAME=VALUE" in result.output


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["--production", "--nodes", "0"], "--nodes takes a number of nodes from 1 to 4, not '0'"),
        (["--production", "--nodes", "9"], "--nodes takes a number of nodes from 1 to 4, not '9'"),
        (["--nodes", "2"], "--nodes goes with --production"),
        (["restart"], "no scripts/server is running here"),
    ],
)
def test_server_refuses_bad_input(args, error):
    """Bad options are refused with a clear message, before anything starts."""
    result = subprocess.run(
        [str(REPO_ROOT / "scripts" / "server"), *args], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode != 0
    assert error in result.stderr


def test_the_committed_renderings_are_up_to_date():
    """docker/nginx, the service settings' bash file, compose block and docs table match their sources."""
    result = CliRunner().invoke(generate.main, ["--check"])
    assert result.exit_code == 0, result.output


def test_service_settings_are_defined_once_for_both_deployments():
    """The native profile and the compose file set the same INVENIO_* settings, from settings.py."""
    names = {f"INVENIO_{key}" for key, _, _ in settings.SETTINGS}
    script = ". scripts/lib.sh && export_invenio_env test && env"
    env = subprocess.run(["bash", "-c", script], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    native = dict(line.split("=", 1) for line in env.splitlines() if line.startswith("INVENIO_") and "=" in line)
    assert names <= native.keys()
    assert native["INVENIO_SQLALCHEMY_DATABASE_URI"].endswith(":5632/mysite_test")
    assert native["INVENIO_SEARCH_INDEX_PREFIX"] == "test-"
    assert native["INVENIO_RATELIMIT_STORAGE_URI"].endswith(":6579/11")
    assert not [name for name in names if "$" in native[name]], "a bash expression was left unexpanded"
    compose = yaml.safe_load((REPO_ROOT / "docker-compose.full.yml").read_text())
    in_docker = {name for name, value in settings.rendered(settings.DOCKER) if value is not None}
    assert set(compose["x-app-environment"]) == in_docker
    assert "INVENIO_S3_ENDPOINT_URL" in names - in_docker  # Docker keeps the files in a volume
    assert compose["services"]["web-api"]["environment"]["INVENIO_BROKER_URL"].endswith("@mq:5672/${RABBITMQ_DEFAULT_VHOST:-/}")


def test_nginx_natively_has_no_docker_values():
    """One template for nginx: the native rendering points at HAProxy and keeps nothing of Docker's."""
    from my_site.deployment.docker import VALUES

    native = render(
        "nginx-site.conf",
        {
            **VALUES, "ui_upstream": "127.0.0.1:5071", "api_upstream": "127.0.0.1:5072",
            "http_listen": "127.0.0.1:5080", "https_listen": "127.0.0.1:5443",
            "proxy_protocol_listen": "", "public_host": "$host:5443", "static_root": "/srv/my-site/var/instance",
            "cache_dir": "/srv/my-site/var/server/nginx/cache", "cache_seconds": "0",
        },
    )  # fmt: skip
    code = "\n".join(line for line in native.splitlines() if not line.lstrip().startswith("#"))
    assert "server 127.0.0.1:5071 fail_timeout=0;" in code
    assert re.search(r"^    proxy_cache off;$", code, re.M)  # the server's setting: MY_SITE_CACHE_SECONDS=0
    assert "return 301 https://$host:5443$request_uri;" in code
    for docker_only in ("web-ui", "web-api", "proxy_protocol", "/opt/invenio", "listen 80 "):
        assert docker_only not in code
