# One image for the three services: `rarewatch run ingest|classify|notify`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    LOG_FORMAT=json

WORKDIR /app
COPY pyproject.toml README.md ./
COPY shared ./shared
COPY services ./services
RUN pip install . \
    && useradd --system --uid 10001 --home-dir /app rarewatch
USER rarewatch

ENTRYPOINT ["rarewatch"]
CMD ["run", "ingest"]
