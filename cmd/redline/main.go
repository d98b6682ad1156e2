// Command redline reads news and tells an analyst who wants what: it finds
// every demand, red line and offer in a set of articles, attributes each to a
// party, indexes the claims and searches, compares and exports them.
//
// Usage:
//
//	redline COMMAND [flags] [ARGS...]
//
// The commands are those of the command table (commands, in main.go):
// "redline help" lists them, and "redline COMMAND --help" gives the flags
// and examples of each.
//
// Size: one file per command (ingest, search and export, compare, eval,
// train, extract and text, serve, check, repair), each holding its flags,
// usage text and the printing of its results; what the commands do lives
// in the packages they call, so the package is large because the command
// line is, not because logic gathered here.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"

	"redline/filter"
	"redline/index"
)

// version names this build in logs and in the index's article hashes.
const version = "0.1.0"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// The first Ctrl-C asks the command to stop cleanly; once it has,
	// the signals get their default action again, so that a second
	// Ctrl-C ends a command that is slow to stop (training, clustering:
	// they check only when their work is done) at once.
	context.AfterFunc(ctx, stop)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// Exit codes.
const (
	exitOK       = 0
	exitFailure  = 1   // the command ran and failed
	exitUsage    = 2   // the command line is wrong (a flag, a filter value, the query)
	exitCanceled = 130 // interrupted (as shells report SIGINT)
)

// usageError marks an error in the command line.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// exitCode maps the error run returned to the process exit code, printing
// it; this is the one place errors become exit codes.
func exitCode(err error, stderr io.Writer) int {
	var ue *usageError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled):
		var ie *interruptedError
		if errors.As(err, &ie) {
			fmt.Fprintf(stderr, "redline: interrupted: %s\n", ie.msg)
		} else {
			fmt.Fprintln(stderr, "redline: interrupted")
		}
		return exitCanceled
	case errors.As(err, &ue), filter.IsError(err), errors.Is(err, index.ErrQuery):
		// An invalid query is the user's to correct, as a wrong flag is;
		// its message names the query and the reason.
		fmt.Fprintf(stderr, "redline: %v\n", err)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "redline: %v\n", err)
		return exitFailure
	}
}

// interruptedError is a command stopped by Ctrl-C (or SIGTERM) that says
// what it kept and how to go on; exitCode reads it as context.Canceled.
type interruptedError struct{ msg string }

func (e *interruptedError) Error() string { return "interrupted: " + e.msg }
func (e *interruptedError) Unwrap() error { return context.Canceled }

// command is one entry of the command table.
type command struct {
	name     string
	synopsis string // the arguments, as the main usage shows them
	run      func(e *env, ctx context.Context, args []string) error
}

// commands is the command table: the main usage, "redline help COMMAND"
// and the dispatch of run all read it, in this order. Adding a command is
// adding its entry here (its flags, usage and examples live with its code,
// in the function the entry names).
func commands() []command {
	return []command{
		{"ingest", "[--index DIR] [--workers N] [--lexicon FILE] [--model FILE | --rules] [--urls FILE] [--feed URL]... [PATH|URL...]", (*env).ingest},
		{"search", "[--index DIR] [filters] [--min-confidence X] [--sort ORDER] [--limit N] [--json] QUERY", (*env).search},
		{"export", "[--index DIR] [filters] [--min-confidence X] [--sort ORDER] [--format jsonl|csv] [--out FILE [--force]] [QUERY]", (*env).export},
		{"stats", "[--index DIR] [--json]", (*env).stats},
		{"check", "[--index DIR]", (*env).check},
		{"repair", "[--index DIR] [--out DIR]", (*env).repair},
		{"serve", "[--index DIR] [--addr 127.0.0.1:8080] [--read-only] [--timeout 30s]", (*env).serve},
		{"compare", "[--index DIR] [--party P] [--topic T] [--min-confidence X] [--by month|week|quarter] [--format F] [--plot FILE]", (*env).compare},
		{"extract", "[--lexicon FILE] [--model FILE | --rules] PATH...", (*env).extract},
		{"eval", "--gold FILE --docs PATH [--cv K] [--lexicon FILE] [--model FILE | --rules] [--json] [--verbose]", (*env).eval},
		{"train", "--gold FILE --docs PATH [--lexicon FILE] --out MODEL", (*env).train},
		{"clusters", "--docs PATH [--exclude FILE] --out FILE", (*env).clusters},
		{"text", "[--json] PATH|URL...", (*env).text},
		{"eval-html", "[--json] [--verbose] DIR", (*env).evalHTML},
	}
}

// lookup returns the command named name.
func lookup(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

// mainUsage is the usage of redline as a whole, made from the command
// table.
func mainUsage() string {
	var b strings.Builder
	b.WriteString(`redline reads news and tells you who wants what: every demand, red line and
offer in a set of articles, attributed to a party, searchable and exportable.

Usage:
`)
	cmds := commands()
	width := 0
	for _, c := range cmds {
		width = max(width, len(c.name))
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "  redline %-*s %s\n", width, c.name, c.synopsis)
	}
	b.WriteString(`
The index is ./redline.index unless --index or REDLINE_INDEX says otherwise.
search, export and compare hide claims below the min confidence of the model
that made the index (none recorded: 0); --min-confidence 0 shows all.
Run "redline COMMAND --help" or "redline help COMMAND" for a command's flags
and examples.

Exit codes: 0 success, 1 failure (of the work or of every input; see the
message), 2 a wrong command line (a flag, a filter value, the query),
130 interrupted.
`)
	return b.String()
}

// run is the whole program: it parses args, runs one command and returns
// its error. Results go to stdout, progress and logs to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, mainUsage())
		return usagef("no command given")
	}
	env := &env{stdout: stdout, stderr: stderr, log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	name, rest := args[0], args[1:]
	if i := commandAfterFlags(args); i > 0 {
		// "redline --index DIR search nato": the flags are the command's.
		name, rest = args[i], append(slices.Clip(args[:i]), args[i+1:]...)
	}
	if c, ok := lookup(name); ok {
		return c.run(env, ctx, rest)
	}
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if c, ok := lookup(rest[0]); ok {
				return c.run(env, ctx, []string{"--help"})
			}
			fmt.Fprint(stderr, mainUsage())
			if c := closest(rest[0], commandNames()); c != "" {
				return usagef("help: unknown command %q (did you mean %s?)", rest[0], c)
			}
			return usagef("help: unknown command %q", rest[0])
		}
		fmt.Fprint(stdout, mainUsage())
		return nil
	case "version", "--version":
		fmt.Fprintf(stdout, "redline %s\n", version)
		return nil
	}
	fmt.Fprint(stderr, mainUsage())
	if strings.HasPrefix(name, "-") {
		return usagef("%q is a flag, and a command comes first: redline COMMAND [flags] [ARGS...]", name)
	}
	if c := closest(name, commandNames()); c != "" {
		return usagef("unknown command %q (did you mean %s?)", name, c)
	}
	return usagef("unknown command %q", name)
}

// commandAfterFlags returns where the command is in args that begin with
// flags ("--index DIR search nato"), or 0 when they do not or name no
// command before a "--". The flags are then read as the command's, which
// is what a user who wrote them first meant.
func commandAfterFlags(args []string) int {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		return 0
	}
	switch args[0] {
	case "-h", "-help", "--help", "--version":
		return 0
	}
	for i, a := range args {
		if a == "--" {
			return 0
		}
		if _, ok := lookup(a); ok {
			return i
		}
	}
	return 0
}

// env is what every command shares: where output goes and the logger.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
}

// newFlags returns a flag set for a command whose --help prints usage and
// examples to stdout (see parse); after a wrong flag they go to stderr.
func (e *env) newFlags(name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprint(w, usage)
		fmt.Fprintln(w, "\nFlags:")
		fs.PrintDefaults()
	}
	return fs
}

// parse parses a command's flags, which may come before or after its
// paths or query words (see interspersed). The usage asked for with --help
// goes to stdout, the usage after a wrong flag to stderr.
func (e *env) parse(fs *flag.FlagSet, args []string) error {
	usage := fs.Usage
	fs.Usage = func() {} // printed below, on the right stream
	err := fs.Parse(interspersed(fs, args))
	fs.Usage = usage
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(e.stdout)
		fs.Usage()
		fs.SetOutput(e.stderr)
		return err
	}
	if err != nil {
		fs.Usage()
		return &usageError{msg: fmt.Sprintf("%s: %v%s", fs.Name(), err, flagHint(fs, err.Error()))}
	}
	return nil
}

// indexDir is the index folder: the flag, else REDLINE_INDEX, else
// ./redline.index.
func indexDir(flagValue string) string {
	if flagValue != "" {
		return flagValue
	}
	if v := os.Getenv("REDLINE_INDEX"); v != "" {
		return v
	}
	return "redline.index"
}
