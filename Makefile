# The two commands a new user needs: `make run` and `make test`. Everything else is a helper.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test lint format unit integration e2e deploy fuzz bench openapi token job env lock clean web-deps web-lint web-test web-bench web-perf

$(STAMP): requirements.txt requirements-dev.txt functions/report/requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

## make run: start the whole local stack (moto server, API gateway, workers, demo data)
## make run PORT=8001 MOTO_PORT=5001 WEB_PORT=5174: other ports (0: any free port)
## make run AS_OF=2029-12-10: the API, the workers and `make job` as if today were that date
## make run CORS_ORIGINS=http://localhost:4200,http://localhost:8081: browsers on these may call it
comma := ,
run: $(STAMP)
	$(PY) -m infra.local run $(if $(PORT),--port $(PORT)) $(if $(MOTO_PORT),--moto-port $(MOTO_PORT)) $(if $(FRESH),--fresh) \
		$(if $(AS_OF),--as-of $(AS_OF)) $(foreach origin,$(subst $(comma), ,$(CORS_ORIGINS)),--cors-origin $(origin)) \
		--web-port $(or $(WEB_PORT),5173)

## make test: every gate and every test suite
test: lint
	$(PY) -m pytest tests/unit tests/integration -n 2
	$(PY) -m pytest tests/e2e
	$(PY) -m pytest tests/deploy
	$(PY) -m pytest tests/fuzz
	$(MAKE) web-test

## The web client (web/, docs/web.md): Node 20.19+; Debian's Chromium for the browser tests.
WEB_STAMP := web/node_modules/.package-lock.json
CHROMIUM  ?= /usr/bin/chromium
$(WEB_STAMP): web/package-lock.json
	cd web && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
	@touch $(WEB_STAMP)
web-deps: $(WEB_STAMP)

## make web-lint: generated API types up to date, ESLint, tsc --noEmit
web-lint: $(WEB_STAMP)
	cd web && node scripts/check-api-types.mjs && npx eslint . && npx tsc --noEmit

## make web-test: web-lint, component tests (Vitest), browser tests (Playwright, local stack)
web-test: web-lint $(STAMP)
	@test -x $(CHROMIUM) || (apt-get update -qq && apt-get install -y -qq chromium)
	cd web && npx vitest run
	cd web && CHROMIUM_PATH=$(CHROMIUM) PYTHON=$(abspath $(PY)) npx playwright test

## make web-perf: input delay while opening the largest section and typing, CPU throttled x4 (< 100 ms)
web-perf: $(WEB_STAMP) $(STAMP)
	cd web && WEB_PERF=1 CHROMIUM_PATH=$(CHROMIUM) PYTHON=$(abspath $(PY)) npx playwright test

## make web-bench: build the bundle, print the initial JavaScript gzipped (budget 150 KB)
web-bench: $(WEB_STAMP)
	cd web && npx vite build --logLevel warn && node scripts/bundle-size.mjs

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy shared functions infra scripts tests
	$(VENV)/bin/cfn-lint infra/template.yaml -a cfn_lint_serverless.rules

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

unit integration e2e deploy: $(STAMP)
	$(PY) -m pytest tests/$@

## make fuzz: the contract fuzzer (schemathesis over openapi.json, three roles, own stack, ~1 min)
## make fuzz EXAMPLES=50 SEED=7 COVERAGE=1: a longer run, another seed, boundary cases too
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(or $(EXAMPLES),8) FUZZ_SEED=$(or $(SEED),20261123) FUZZ_COVERAGE=$(COVERAGE) \
		$(PY) -m pytest tests/fuzz

## make bench: cold import time per handler and DynamoDB requests per operation
bench: $(STAMP)
	$(PY) -m scripts.bench

## make lock: regenerate requirements.lock (every runtime package, transitive ones too, with
## hashes) from requirements.txt, at the versions requirements-dev.txt pins (the tests' versions);
## then each function's own lock (functions/<name>/requirements.lock, only the report function
## has one) from its requirements.txt, constrained by requirements.lock so shared pins agree
LOCK_FLAGS := --generate-hashes --python-version 3.11 --python-platform aarch64-manylinux_2_17 \
	--custom-compile-command "make lock" --quiet
lock: $(STAMP)
	$(VENV)/bin/uv pip compile requirements.txt --constraints requirements-dev.txt \
		$(LOCK_FLAGS) -o requirements.lock
	$(VENV)/bin/uv pip compile functions/report/requirements.txt --constraints requirements.lock \
		--constraints requirements-dev.txt $(LOCK_FLAGS) -o functions/report/requirements.lock

## make openapi: regenerate the committed openapi.json from the code
openapi: $(STAMP)
	$(PY) -m scripts.openapi --write

## make token USER=affiliate@va.example: log in to the running local stack and print an id token
## (an invited user's first sign-in too: the temporary password comes from .local/mail or PASSWORD=)
token: $(STAMP)
	$(PY) -m infra.local token $(USER) $(if $(PASSWORD),--password '$(PASSWORD)')

## make job NAME=outbox-sweeper AS_OF=2029-01-01: run a scheduled job once, as of a date
## (badge-expiry, reminders, outbox-sweeper; without AS_OF: the running stack's today)
job: $(STAMP)
	$(PY) -m infra.local job $(NAME) $(if $(AS_OF),--as-of $(AS_OF))

## make env: the running stack's addresses as `export` lines (eval "$$(make -s env)")
env: $(STAMP)
	@$(PY) -m infra.local env

## sam build runs build-<LogicalId> for each function (BuildMethod: makefile in the template):
## the artifact is the function's package, shared/ and requirements.txt (scripts/package.py)
.PHONY: build-DirectoryFunction build-AssessmentFunction build-ReviewFunction build-PlanFunction build-ReportFunction build-ReportAggregatesFunction build-ResearchExportFunction build-BadgeFunction build-BadgeIssuerFunction build-BadgeExpiryFunction build-OutboxRelayFunction build-OutboxSweeperFunction build-NotifyFunction build-NotifyApiFunction build-MailEventsFunction build-ReminderFunction
build-DirectoryFunction:
	python3 -m scripts.package functions.directory "$(ARTIFACTS_DIR)"
build-AssessmentFunction:
	python3 -m scripts.package functions.assessment "$(ARTIFACTS_DIR)"
build-ReviewFunction:
	python3 -m scripts.package functions.review "$(ARTIFACTS_DIR)"
build-PlanFunction:
	python3 -m scripts.package functions.plan "$(ARTIFACTS_DIR)"
build-ReportFunction build-ReportAggregatesFunction build-ResearchExportFunction:
	python3 -m scripts.package functions.report "$(ARTIFACTS_DIR)"
build-BadgeFunction build-BadgeIssuerFunction build-BadgeExpiryFunction:
	python3 -m scripts.package functions.badge "$(ARTIFACTS_DIR)"
build-OutboxRelayFunction build-OutboxSweeperFunction:
	python3 -m scripts.package functions.outbox "$(ARTIFACTS_DIR)"
build-NotifyFunction build-NotifyApiFunction build-MailEventsFunction build-ReminderFunction:
	python3 -m scripts.package functions.notify "$(ARTIFACTS_DIR)"

clean:
	rm -rf $(VENV) .local .mypy_cache .ruff_cache .pytest_cache
