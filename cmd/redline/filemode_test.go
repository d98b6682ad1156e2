package main

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// umaskChildEnv names the folder a re-executed test binary writes its files
// into (see TestFileModeUmask).
const umaskChildEnv = "REDLINE_TEST_UMASK_DIR"

// umaskedMode returns the mode the kernel gives a file created with 0666
// under this process's umask, read from a probe file: the test process never
// sets its umask, as tests run in parallel.
func umaskedMode(t *testing.T) os.FileMode {
	t.Helper()
	probe := filepath.Join(t.TempDir(), "probe")
	f, err := os.OpenFile(probe, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := f.Stat()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	return fi.Mode().Perm()
}

// TestFileModeUmask: the files the user asks for (compare --plot, export
// --out, and writeFileAtomic under them) get 0666 less the umask: 0644
// under 022, 0640 under 027, 0600 under 077. Each umask is set by a shell
// that re-executes this test binary, which writes the files.
func TestFileModeUmask(t *testing.T) {
	if dir := os.Getenv(umaskChildEnv); dir != "" {
		writeUmaskFiles(t, dir)
		return
	}
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Skipf("no shell to set a umask: %v", err)
	}
	for _, tc := range []struct {
		umask string
		want  os.FileMode
	}{
		{"022", 0o644},
		{"027", 0o640},
		{"077", 0o600},
	} {
		t.Run(tc.umask, func(t *testing.T) {
			dir := t.TempDir()
			cmd := exec.Command(sh, "-c", "umask "+tc.umask+` && exec "$0" "$@"`, os.Args[0], "-test.run=^TestFileModeUmask$", "-test.v")
			cmd.Env = append(os.Environ(), umaskChildEnv+"="+dir, "REDLINE_INDEX=")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the child under umask %s: %v\n%s", tc.umask, err, out)
			}
			files := []string{"talks.svg", "talks.png", "claims.csv", "atomic.txt"}
			for _, name := range files {
				fi, err := os.Stat(filepath.Join(dir, name))
				if err != nil {
					t.Errorf("%s: %v\n%s", name, err, out)
					continue
				}
				if got := fi.Mode().Perm(); got != tc.want {
					t.Errorf("under umask %s %s has mode %v, want %v", tc.umask, name, got, tc.want)
				}
			}
			// Nothing else: no temporary file left behind.
			if names := dirNames(t, dir); len(names) != len(files) {
				t.Errorf("the folder holds %q", names)
			}
		})
	}
}

// writeUmaskFiles is the child's part of TestFileModeUmask: it writes every
// kind of file the user asks for into dir.
func writeUmaskFiles(t *testing.T, dir string) {
	idx := compareIndex(t)
	mustRun(t, "compare", "--index", idx, "--plot", filepath.Join(dir, "talks.svg"))
	mustRun(t, "compare", "--index", idx, "--plot", filepath.Join(dir, "talks.png"))
	mustRun(t, "export", "--index", idx, "--out", filepath.Join(dir, "claims.csv"))
	if err := writeFileAtomic(filepath.Join(dir, "atomic.txt"), func(w io.Writer) error {
		_, err := io.WriteString(w, strings.Repeat("x", 10))
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
