"""The values of the Docker deployment for the deployment templates (nginx's)."""

VALUES = {
    "rendered_by": "python -m my_site.deployment.generate",
    # nginx.conf: the official nginx image's paths and user.
    "user": "nginx",
    "conf_dir": "/etc/nginx",
    "log_dir": "/var/log/nginx",
    "pid_file": "/var/run/nginx.pid",
    "temp_dir": "",
    # nginx-site.conf: docker-compose.full.yml's services and volumes.
    "ui_upstream": "web-ui:5000",
    "api_upstream": "web-api:5000",
    "http_listen": "80",
    "https_listen": "443",
    "proxy_protocol_listen": "8443",
    "public_host": "$host",
    "tls_certificate": "/etc/nginx/tls/tls.crt",
    "tls_key": "/etc/nginx/tls/tls.key",
    "tls_origin": "mounted, or made at the container's start by generate-self-signed-cert.sh",
    "static_root": "/opt/invenio/var/instance",
    "cache_dir": "/var/cache/nginx",
    "cache_seconds": "10",
}
"""The values of the Docker deployment (``render --docker`` starts from them)."""
