# redline: make demo (the main job on the sample corpus), make test (the suite).
GO      ?= go
BIN     := bin/redline
SHARED  ?= ../shared
DEMO_INDEX := $(CURDIR)/.demo.index

.PHONY: all build test demo bench eval eval-html fuzz train clusters clean

all: build

build:
	$(GO) build -o $(BIN) ./cmd/redline

# The whole suite: vet, then every test with the race detector (the end-to-end
# tests of cmd/redline run the real CLI many times: more than go test's default
# 10 minutes on a busy 2-core machine).
test:
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 30m ./...

# Ingest the built-in sample articles into a fresh index and show what it holds.
demo: build
	rm -rf $(DEMO_INDEX)
	$(BIN) ingest --index $(DEMO_INDEX) testdata/articles
	@echo
	$(BIN) stats --index $(DEMO_INDEX)
	@echo
	$(BIN) search --index $(DEMO_INDEX) --sort confidence --limit 5 '*'
	@echo
	$(BIN) search --index $(DEMO_INDEX) --min-confidence 0.5 --party russia --kind red_line --limit 5 nato
	@echo
	$(BIN) eval --gold testdata/gold.jsonl --docs testdata/articles
	@echo
	@echo "Next, the workbench in a browser (http://127.0.0.1:8080):"
	@echo "  $(BIN) serve --index $(DEMO_INDEX)"

# Throughput benchmarks (end to end and per stage); real data from $(SHARED) when present.
# The last line runs the real binary: start-up of stats and search (ms, MB)
# beside their targets, and eval-html beside go-trafilatura alone as processes.
bench:
	$(GO) test -run '^$$' -bench . -benchtime 3x ./pipeline/ ./dedup/ ./extract/ ./index/ ./compare/ ./corpus/
	$(GO) test -run '^$$' -bench . -benchtime 60x ./web/
	$(GO) test -run '^$$' -bench 'Startup|EvalHTMLProcess' -benchtime 5x ./cmd/redline/

# The gold the shipped claim model is trained on. testdata/ is left out, so
# that its figures (and the demo's) are on articles the model never saw.
TRAIN_GOLD := --gold $(SHARED)/gold/train/gold.jsonl --docs $(SHARED)/corpus/bulk.jsonl \
	--gold $(SHARED)/gold/seeds.jsonl --docs $(SHARED)/seeds

# Train the shipped claim model (extract/model.json): the same inputs give
# the same file, byte for byte.
train: build
	$(BIN) train $(TRAIN_GOLD) --out extract/model.json

# The word classes of the claim model (extract/clusters.tsv), learned from
# the unlabeled bulk dump less its held-out records: the same inputs give the
# same file, byte for byte. Retrain the model after (make train).
clusters: build
	$(BIN) clusters --docs $(SHARED)/corpus/bulk.jsonl --exclude $(SHARED)/gold/train/RESERVED \
		--clusters 128 --out extract/clusters.tsv

# Extraction quality: 5-fold cross-validation by article over the training
# gold (model beside the rules alone), then the shipped model and the rules
# on testdata/, which no model is trained on.
eval: build
	@if [ -f $(SHARED)/gold/train/gold.jsonl ]; then \
		$(BIN) eval --cv 5 $(TRAIN_GOLD); \
	else echo "$(SHARED) not found: cross-validation skipped"; fi
	@if [ -f $(SHARED)/corpus/bulk.jsonl ]; then \
		echo; echo "== gold/bulk-heldout (96 articles no model or rule was fitted to), the shipped model"; \
		$(BIN) eval --gold gold/bulk-heldout/gold.jsonl --docs $(SHARED)/corpus/bulk.jsonl; \
		echo; echo "== gold/bulk-heldout, the rules alone"; \
		$(BIN) eval --rules --gold gold/bulk-heldout/gold.jsonl --docs $(SHARED)/corpus/bulk.jsonl; \
	fi
	@echo; echo "== testdata (held out), the shipped model"
	$(BIN) eval --gold testdata/gold.jsonl --docs testdata/articles
	@echo; echo "== testdata (held out), the rules alone"
	$(BIN) eval --rules --gold testdata/gold.jsonl --docs testdata/articles

# HTML main-text extraction scored on the article extraction benchmark, by
# the benchmark's own method (shingle precision, recall, F1; pages/s).
BENCH_HTML := $(SHARED)/corpus/extraction-benchmark

eval-html: build
	@if [ -f $(BENCH_HTML)/ground-truth.json ]; then \
		$(BIN) eval-html $(BENCH_HTML); \
	else echo "$(BENCH_HTML) not found: HTML extraction benchmark skipped"; fi

# A short run of every fuzz target of every package: the list is read from
# the tests themselves (go test -list), so a new target is never left out.
FUZZTIME ?= 5s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for t in $$($(GO) test -list 'Fuzz.*' $$pkg | grep ^Fuzz); do \
			echo "== $$pkg $$t"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done

clean:
	rm -rf bin $(DEMO_INDEX)
