package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"redline/claim"
	"redline/index"
)

// While an ingest holds the index for writing, the server reads the view
// the writer published after its last commit and says so on every page;
// once the ingest is done, the server reads the index itself again, and it
// lets go of the index when idle so the next ingest can open it.
func TestIndexBusy(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	art := index.Article{DocID: "d1", Title: "t", Published: "2025-01-02", Claims: []claim.Claim{{DocID: "d1", Sentence: "Russia demands a ceasefire.",
		End: 27, Party: "russia", Kind: claim.Demand, Topics: []string{"ceasefire"}, Cue: "demands", Attribution: claim.BySubject, Confidence: 0.9, Published: "2025-01-02"}}}
	if err := w.Write([]index.Article{art}); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, Options{Dir: dir, IdleClose: 50 * time.Millisecond, LockTimeout: 50 * time.Millisecond, Recheck: 10 * time.Millisecond})

	// The writer publishes its view within about a second of the commit;
	// until then a request is either told the index is busy or shown the
	// state before the write, never an error or a hang.
	deadline := time.Now().Add(10 * time.Second)
	for {
		start := time.Now()
		code, _, body := get(t, srv, "/api/search?min_confidence=0")
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("a request during the ingest took %s", d)
		}
		var res searchResult
		if code == http.StatusOK {
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatal(err)
			}
			if res.Total == 1 {
				break
			}
		} else if code != http.StatusServiceUnavailable || !strings.Contains(body, busyMessage) {
			t.Fatalf("during the ingest: %d %s", code, body)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the committed claim never showed during the ingest: %d %s", code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	code, h, body := get(t, srv, "/")
	if code != http.StatusOK || !strings.Contains(body, "An ingest is writing this index") || h.Get("Content-Security-Policy") == "" {
		t.Errorf("page during the ingest: %d\n%s", code, body)
	}
	// A second write moves the live commit record ahead of the view the
	// server reads until the next publish: the status names the commit of
	// the state it counts, never the newer one.
	art2 := art
	art2.DocID, art2.Claims = "d2", []claim.Claim{art.Claims[0]}
	art2.Claims[0].DocID = "d2"
	if err := w.Write([]index.Article{art2}); err != nil {
		t.Fatal(err)
	}
	for range 10 {
		var st statsView
		getJSON(t, srv, "/api/stats", http.StatusOK, &st)
		if st.LastCommit == nil || st.LastCommit.Claims != st.Claims {
			t.Fatalf("status during the ingest: %d claims, last commit %+v", st.Claims, st.LastCommit)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}

	var res searchResult
	getJSON(t, srv, "/api/search?min_confidence=0", http.StatusOK, &res)
	if res.Total != 2 {
		t.Errorf("after the ingest: %d claims, want both writes' 2", res.Total)
	}
	// Idle: the server has let go, a writer opens the index again.
	deadline = time.Now().Add(5 * time.Second)
	for {
		w2, err := index.Open(dir, index.Options{LockTimeout: 100 * time.Millisecond})
		if err == nil {
			w2.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the server still holds the index after being idle: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A commit made while the server was idle shows without a restart, and a
// changed commit record makes the server reopen the index even when it
// was never idle.
func TestReopenAfterCommit(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	write := func(id string) {
		t.Helper()
		w, err := index.Open(dir, index.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := claim.Claim{DocID: id, Sentence: "Kyiv offers talks.", End: 18, Party: "ukraine", Kind: claim.Offer, Topics: []string{"talks"}, Cue: "offers", Attribution: claim.BySubject, Confidence: 0.9}
		if err := w.Write([]index.Article{{DocID: id, Claims: []claim.Claim{c}}}); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	write("a")
	s, err := New(Options{Dir: dir, IdleClose: 20 * time.Millisecond, Recheck: time.Millisecond, LockTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := newServerFor(t, s)
	total := func() uint64 {
		var res searchResult
		getJSON(t, ts, "/api/search", http.StatusOK, &res)
		return res.Total
	}
	if n := total(); n != 1 {
		t.Fatalf("%d claims, want 1", n)
	}
	for deadline := time.Now().Add(5 * time.Second); s.ix.isOpen(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the index is still open after the idle time")
		}
	}
	write("b")
	if n := total(); n != 2 {
		t.Errorf("after a second write: %d claims, want 2", n)
	}

	// Never idle (an hour), but the commit record changes: reopened.
	h := &holder{dir: dir, lockTimeout: 50 * time.Millisecond, idle: time.Hour, recheck: time.Millisecond}
	defer h.close()
	_, release, err := h.acquire()
	if err != nil {
		t.Fatal(err)
	}
	release()
	gen := h.gen
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(filepath.Join(dir, index.CommitFile), later, later); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	_, release, err = h.acquire()
	if err != nil {
		t.Fatal(err)
	}
	release()
	if h.gen != gen+1 {
		t.Errorf("a changed commit record did not reopen the index (opens %d, then %d)", gen, h.gen)
	}
}

// A repair killed between its two renames while the server ran leaves no
// folder at the index's path: the next request that opens the index puts
// the repaired copy in place, as the CLI's commands do, and reads it.
func TestHealWhileServing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "idx")
	w, err := index.Open(dir, index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := claim.Claim{DocID: "a", Sentence: "Kyiv offers talks.", End: 18, Party: "ukraine", Kind: claim.Offer, Topics: []string{"talks"}, Cue: "offers", Attribution: claim.BySubject, Confidence: 0.9}
	if err := w.Write([]index.Article{{DocID: "a", Claims: []claim.Claim{c}}}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var logged syncBuffer
	s, err := New(Options{Dir: dir, IdleClose: 20 * time.Millisecond, Recheck: time.Millisecond, LockTimeout: 50 * time.Millisecond, Log: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ts := newServerFor(t, s)
	var res searchResult
	getJSON(t, ts, "/api/search", http.StatusOK, &res)
	for deadline := time.Now().Add(5 * time.Second); s.ix.isOpen(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the index is still open after the idle time")
		}
	}

	// The disk as the kill leaves it: the damaged index moved aside, the
	// complete copy beside it, marked with where it goes.
	copyDir, damaged := dir+".repair-1", dir+".damaged-1"
	if err := os.Rename(dir, copyDir); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(damaged, 0o755); err != nil {
		t.Fatal(err)
	}
	mark, err := json.Marshal(index.RepairSwap{Index: dir, Damaged: damaged})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(copyDir, index.RepairedFile), mark, 0o644); err != nil {
		t.Fatal(err)
	}

	res = searchResult{}
	getJSON(t, ts, "/api/search", http.StatusOK, &res)
	if res.Total != 1 {
		t.Errorf("after the healed repair %d claims, want 1", res.Total)
	}
	if _, err := os.Stat(copyDir); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the repaired copy is still beside the index: %v", err)
	}
	if !strings.Contains(logged.String(), "finished it") {
		t.Errorf("the server's log does not say what was done: %q", logged.String())
	}
}

// syncBuffer is a bytes.Buffer the server's goroutines may write while a
// test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
