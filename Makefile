# Two commands do all the setup: `make serve` and `make test`.
# Each creates .venv from the hashed locks in requirements/ if it is missing or
# stale: build.txt for serving, building and checking; test.txt as well for
# the tests (README, "Updating the locks").

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_LOCK := requirements/build.txt
TEST_LOCK := requirements/test.txt
INSTALLED := $(VENV)/.installed-$(shell cat $(BUILD_LOCK) pyproject.toml | cksum | cut -d' ' -f1)
TEST_INSTALLED := $(VENV)/.installed-test-$(shell cat $(BUILD_LOCK) $(TEST_LOCK) pyproject.toml | cksum | cut -d' ' -f1)
LANGUAGES := $(shell sed -n 's/^- code: *//p' data/languages.yml)
# `make serve LANG=ar`: LANG doubles as the shell's locale variable, so only a
# declared language code counts; anything else (C.UTF-8, en_GB.UTF-8) means English.
SITE_LANG := $(if $(filter $(LANG),$(LANGUAGES)),$(LANG),en)
RUN := env LANG=C.UTF-8 LC_ALL=C.UTF-8 NO_MKDOCS_2_WARNING=1
# Node tools for checking the built site (axe-core, vnu-jar, Lighthouse), pinned
# in package-lock.json. npm ci runs no install script (.npmrc) and no browser
# is downloaded: Lighthouse and the tests use Debian's Chromium.
NODE_INSTALLED := node_modules/.installed

.PHONY: serve build test system-packages check new clean translations bench audit screenshots editor editor-screenshots

# Every file pip downloads is checked against the lock's hashes; the project
# itself is installed with the lock's setuptools, so nothing else is fetched.
$(INSTALLED): $(BUILD_LOCK) pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(BUILD_LOCK)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(TEST_INSTALLED): $(INSTALLED) $(TEST_LOCK)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r $(BUILD_LOCK) -r $(TEST_LOCK)
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

serve: $(INSTALLED)
	$(RUN) NEWSROOM_LANG=$(SITE_LANG) NEWSROOM_DOCS_DIR=docs/$(SITE_LANG) NEWSROOM_SITE_DIR=site/$(SITE_LANG) \
		NEWSROOM_SITE_URL=http://127.0.0.1:8000/$(SITE_LANG)/ $(BIN)/mkdocs serve --dirty -a 127.0.0.1:8000

build: $(INSTALLED)
	$(RUN) $(BIN)/python -m newsroom.cli build

# The Debian packages the tests need (Chromium, Java, Node.js, fonts,
# newsboat) come first: installed when missing as root, else the one sudo
# line to run is printed (.ci/system-packages).
test: system-packages $(TEST_INSTALLED) $(NODE_INSTALLED)
	$(RUN) $(BIN)/pytest -q

system-packages:
	@.ci/system-packages

# Lighthouse (mobile), three runs each, on the English and Arabic home pages,
# a release with a (generated placeholder) lead image and a programme page,
# on a copy of the project built in a temporary folder and served as GitHub
# Pages serves it: the median of each category, CLS, the first view's weight,
# the targets of issue 19 met or not, and what costs points under 95
# (newsroom/audit.py; ARGS='--runs 5', ARGS='--site site --page en/').
audit: $(INSTALLED) $(NODE_INSTALLED)
	$(RUN) $(BIN)/python -m newsroom.audit $(ARGS)

# Build every language (a copy with a placeholder lead image on one release)
# for a loopback address, then save PNGs of the home page, a release with an
# image, a programme, the news index and the search, in English, Arabic and
# Chinese, at 390 and 1280 px, in screenshots/, to look at (newsroom/screenshots.py).
screenshots: $(TEST_INSTALLED)
	$(RUN) $(BIN)/python -m newsroom.screenshots $(ARGS)

# Every mistake the build would stop on, in seconds and without building:
# front-matter, references, translations, links, images, HTML, UI strings;
# and, in a git checkout, every published address the change would lose,
# against the merge base of HEAD and main (or ARGS='--base <ref>'). The
# pull-request workflow adds ARGS='--format github --summary FILE'.
check: $(INSTALLED)
	@$(RUN) $(BIN)/python -m newsroom.cli check $(ARGS)

# Start a release, programme page, resource or translation. Asks for what it
# needs, or takes it as options: see docs/en/about/publishing.md, e.g.
#   make new ARGS='release --title "..." --date 2024-11-22 --location "New York" --programmes ai-pol --publishers unicri'
#   make new ARGS='translation docs/en/news/2024/x.md --lang fr'
new: $(INSTALLED)
	@$(RUN) $(BIN)/python -m newsroom.cli new $(ARGS)

clean:
	rm -rf site .pytest_cache

# The web editor at http://127.0.0.1:8000/admin/ on this working copy, with
# Decap's local backend (decap-server from node_modules, 127.0.0.1:8081).
# Each entry is saved as a branch cms/<collection>/<slug>, as on GitHub, so the
# working copy must have no uncommitted changes; MODE=fs writes the files
# straight into it instead. See README.md, "The web editor".
MODE ?= git
editor: $(NODE_INSTALLED) build
	$(RUN) $(BIN)/python -m newsroom.editor serve --mode $(MODE)

# The author guide's pictures of the editor (docs/en/about/images/editor-*.png),
# taken from the real editor in Chromium on a copy of the content.
editor-screenshots: $(INSTALLED) $(NODE_INSTALLED)
	$(RUN) $(BIN)/python -m newsroom.editor_tour --out docs/en/about/images

# Which pages each language is missing, which are not started (a draft, or
# still the English text), which are stale, which are current.
# `make translations STAMP="docs/fr/x.md ..."` first records that those files
# translate the current English text.
translations: $(INSTALLED)
	$(RUN) $(BIN)/python -m newsroom.cli translations $(if $(STAMP),--stamp $(STAMP))

# Wall time, CPU time (user + system of the whole process tree), memory and
# output of the full pipeline against plain Material on generated corpora, in
# a temporary folder (newsroom/bench.py): the site's real shape, 200 releases
# in 6 languages, then 1,000 in 1, both pipelines with the same number of
# parallel language builds. One shape, or other measurements, through ARGS:
#   make bench ARGS='--shape 1000x1'
#   make bench ARGS='--profile'              (where the CPU goes, ours against plain Material)
#   make bench ARGS='--scaling 500,1000,2000'
#   make bench ARGS='--search-payload --n 5000'
#   make bench ARGS=--page-view            (bytes of a first page view, 6 languages, N=100 and N=1000)
PAIRS ?= 3
bench: $(INSTALLED)
	$(RUN) $(BIN)/python -m newsroom.bench --pairs $(PAIRS) $(ARGS)
