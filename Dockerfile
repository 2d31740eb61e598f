# Samenspraak as a service (README "Run as a service"). Not built on the machine it was written on
# (no Docker there); the command it runs is the one tests/serve/ runs.
FROM python:3.11-slim AS build
WORKDIR /src
COPY . .
# The wheel carries the scripts, glossary and compiled catalogs (hatch_build.py compiles them).
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.11-slim
# Optional features' system programs: Tesseract (photos of letters) and espeak-ng/opusenc (voice).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-nld espeak-ng opus-tools \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl && rm -rf /wheels
RUN useradd --create-home --uid 10001 samenspraak
USER samenspraak
ENV PYTHONUNBUFFERED=1
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/readyz', timeout=4).status != 200)"
CMD ["samenspraak", "serve", "--host", "0.0.0.0", "--port", "8080", "--workers", "2", "--log-json"]
