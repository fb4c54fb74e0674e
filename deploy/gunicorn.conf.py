"""gunicorn's settings for every web node (systemd unit, container and the cluster test alike):
`gunicorn -c deploy/gunicorn.conf.py sba_portal.wsgi`. Values come from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
worker_class = "sync"
# A request slower than this is cut off (the balancer's server timeout is longer).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# Restart each worker now and then, so a slow leak cannot grow for ever.
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
# The request id (set by the balancer, else by the portal) in each access-log line.
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms id=%({x-request-id}o)s'
# The balancer in front is the only client; it sets X-Forwarded-For / -Proto (settings.BEHIND_PROXY).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
