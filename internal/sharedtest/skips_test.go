package sharedtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// TestSharedSkipsGoThroughMissing walks the module's test files and fails
// on any Skip, Skipf or SkipNow whose message speaks of the shared data
// ("shared", "not found") outside an `if testing.Short()`: such a test
// must call Missing, or a CI run without ../shared passes while testing
// nothing.
func TestSharedSkipsGoThroughMissing(t *testing.T) {
	root := "../.."
	fset := token.NewFileSet()
	files := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "third_party", "testdata":
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files++
		checkSkips(t, fset, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if files < 10 {
		t.Fatalf("found only %d test files under %s", files, root)
	}
}

func checkSkips(t *testing.T, fset *token.FileSet, f *ast.File) {
	var short []ast.Node // bodies of `if testing.Short()`
	ast.Inspect(f, func(n ast.Node) bool {
		if is, ok := n.(*ast.IfStmt); ok && isShortCall(is.Cond) {
			short = append(short, is.Body)
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || !strings.HasPrefix(sel.Sel.Name, "Skip") {
			return true
		}
		for _, s := range short {
			if call.Pos() >= s.Pos() && call.End() <= s.End() {
				return true
			}
		}
		for _, arg := range call.Args {
			ast.Inspect(arg, func(n ast.Node) bool {
				if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					if low := strings.ToLower(lit.Value); strings.Contains(low, "shared") || strings.Contains(low, "not found") {
						t.Errorf("%s: %s skips for missing shared data; call sharedtest.Missing instead", fset.Position(call.Pos()), sel.Sel.Name)
					}
				}
				return true
			})
		}
		return true
	})
}

// isShortCall reports whether e is testing.Short().
func isShortCall(e ast.Expr) bool {
	c, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Short" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "testing"
}
