#!/bin/sh
# A migration tool that prints the credentials it was given in every form a tool might: the URL, its
# password, URL-encoded and base64, and HTTP Basic's base64 of user:password. Then it succeeds.
echo "url: $DATABASE_URL"
echo "password: $ECHO_PASSWORD_RAW"
echo "url base64: $(printf %s "$DATABASE_URL" | base64 -w0)"
echo "password base64: $(printf %s "$ECHO_PASSWORD_RAW" | base64 -w0)"
echo "basic: Basic $(printf %s "$ECHO_USER:$ECHO_PASSWORD_RAW" | base64 -w0)"
echo "password url-encoded: $ECHO_PASSWORD_ENCODED"
echo "env check: INPUT_DATABASE-URL=$(env | grep -c '^INPUT_')" >&2
