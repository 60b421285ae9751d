# One image for the watcher, the worker and beat; `command:` in docker-compose.yml picks the part.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY parsers parsers
COPY rules rules
COPY store store
COPY worker worker
COPY templates templates
COPY config config
RUN pip install --no-cache-dir . && useradd --system --uid 10001 anmalan && mkdir -p /app/var && chown anmalan /app/var
USER anmalan
ENTRYPOINT ["anmalan"]
CMD ["run"]
