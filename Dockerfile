# syntax=docker/dockerfile:1
# Multi-stage: build a virtualenv with the pinned dependencies, then copy it into a slim runtime
# that runs as a non-root user. Point DATABASE_URL at your PostgreSQL.
#
#   docker build -t vn-deadlines .
#   docker run --rm -e DATABASE_URL=postgresql://user:pass@db:5432/vn vn-deadlines sh -c 'python -m app migrate && python -m app seed'
#   docker run -p 8000:8000 -e DATABASE_URL=postgresql://user:pass@db:5432/vn vn-deadlines
#
# Migrations and the seed of the shipped reference data are their own commands (above): run them
# once per release, before the replicas. The seed never overwrites what an administrator changed.

FROM python:3.11-slim AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
RUN python -m venv /opt/venv
COPY requirements.lock /tmp/requirements.lock
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.lock

FROM python:3.11-slim AS runtime
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    HOST=0.0.0.0 \
    PORT=8000 \
    MIGRATE_ON_START=false
RUN useradd --system --create-home --uid 10001 app
COPY --from=build /opt/venv /opt/venv
WORKDIR /srv
COPY --chown=app:app alembic.ini ./
COPY --chown=app:app migrations ./migrations
COPY --chown=app:app app ./app
USER app
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/health/live', timeout=2).status != 200)"
# One worker process per CPU unless WORKERS (or WEB_CONCURRENCY) says otherwise.
CMD ["sh", "-c", "WORKERS=${WORKERS:-${WEB_CONCURRENCY:-$(nproc)}} exec python -m app serve"]
