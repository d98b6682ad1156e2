package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while the server logs to it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// redline serve answers over the sample index on a loopback port and
// stops cleanly (nil error, exit 0) when its context ends, as on SIGINT.
func TestServe(t *testing.T) {
	dir := ingestSample(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr lockedBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve", "--index", dir, "--addr", "127.0.0.1:0"}, &stdout, &stderr) }()

	urlRE := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+/)`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := urlRE.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve returned early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve logged no address:\n%s", stderr.String())
		}
	}
	resp, err := http.Get(base + "api/stats")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var st struct{ Claims int }
	if resp.StatusCode != 200 || json.Unmarshal(body, &st) != nil || st.Claims == 0 {
		t.Errorf("GET /api/stats: %d %s", resp.StatusCode, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve after its context ended: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not stop when its context ended")
	}
}

func TestServeUsage(t *testing.T) {
	dir := ingestSample(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--index", dir, "extra"}, "unexpected argument"},
		{[]string{"serve", "--index", dir, "--timeout", "0s"}, "--timeout"},
		{[]string{"serve", "--index", dir, "--addr", "not an address"}, "--addr"},
		{[]string{"serve", "--index", dir + "-missing"}, "no index"},
	} {
		_, _, err := runCLI(t, tt.args...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
	out, _, err := runCLI(t, "serve", "--help")
	if !errors.Is(err, flag.ErrHelp) || !strings.Contains(out, "Usage: redline serve") || !strings.Contains(out, "--read-only") {
		t.Errorf("serve --help: %v\n%s", err, out)
	}
}

// TestServeBadAddr: an --addr that is not host:port, or whose port is not a
// port, is a wrong command line (exit 2) like any bad flag value, found
// before the index is opened; an address that cannot be had (in use) is a
// failure (exit 1).
func TestServeBadAddr(t *testing.T) {
	dir := ingestSample(t)
	for _, addr := range []string{"not an address", "bogus", "127.0.0.1:99999", "127.0.0.1:http-alt-x"} {
		_, _, err := runCLI(t, "serve", "--index", dir, "--addr", addr)
		var stderr bytes.Buffer
		if err == nil || !strings.Contains(err.Error(), "--addr") || exitCode(err, &stderr) != exitUsage {
			t.Errorf("--addr %q: error %v, want a usage error (exit 2) naming --addr", addr, err)
		}
	}
	_, _, err := runCLI(t, "serve", "--index", dir+"-missing", "--addr", "bogus")
	if err == nil || !strings.Contains(err.Error(), "--addr") {
		t.Errorf("a bad --addr beside a missing index: %v, want the --addr error first", err)
	}
}
