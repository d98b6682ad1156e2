package extract

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
)

// The claim model learns from a few hundred annotated articles, so most
// cue and context words it will meet were never seen with a label. Word
// classes learned from unlabeled news (Brown clustering, `redline
// clusters`) let it generalise from "urged" to "pressed", from "Lavrov" to
// "Peskov": a word's features include the prefixes of its class's bit
// string.

//go:embed clusters.tsv
var defaultClasses []byte

// WordClasses maps words (as the tokenizer normalises them) to their Brown
// class, a bit string. It is read from a class file: one word a line,
// "BITS<TAB>WORD<TAB>COUNT", as `redline clusters` writes it. It is
// immutable and safe for concurrent use.
type WordClasses struct {
	bits        map[string]string
	fingerprint string
}

// DefaultWordClasses returns the built-in classes (extract/clusters.tsv,
// made by `make clusters`).
func DefaultWordClasses() (*WordClasses, error) {
	return ParseWordClasses(defaultClasses, "built-in word classes")
}

// LoadWordClasses reads a class file; errors name the file.
func LoadWordClasses(path string) (*WordClasses, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseWordClasses(data, path)
}

// ParseWordClasses parses a class file's content; name is used in errors,
// which give the line.
func ParseWordClasses(data []byte, name string) (*WordClasses, error) {
	wc := &WordClasses{bits: map[string]string{}}
	sc := bufio.NewScanner(bytes.NewReader(data))
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.Split(text, "\t")
		if len(parts) != 3 {
			return nil, fmt.Errorf("word classes %s:%d: want BITS<TAB>WORD<TAB>COUNT, got %d fields", name, line, len(parts))
		}
		bits, word := parts[0], parts[1]
		if bits == "" || strings.Trim(bits, "01") != "" {
			return nil, fmt.Errorf("word classes %s:%d: class %q is not a bit string", name, line, bits)
		}
		if word == "" {
			return nil, fmt.Errorf("word classes %s:%d: empty word", name, line)
		}
		if _, err := strconv.Atoi(parts[2]); err != nil {
			return nil, fmt.Errorf("word classes %s:%d: count %q is not a number", name, line, parts[2])
		}
		if _, dup := wc.bits[word]; dup {
			return nil, fmt.Errorf("word classes %s:%d: word %q listed twice", name, line, word)
		}
		wc.bits[word] = bits
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("word classes %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	wc.fingerprint = hex.EncodeToString(sum[:6])
	return wc, nil
}

// Fingerprint identifies the classes' content: a hash of the file.
func (wc *WordClasses) Fingerprint() string { return wc.fingerprint }

// Len is the number of words that have a class (0 for nil).
func (wc *WordClasses) Len() int {
	if wc == nil {
		return 0
	}
	return len(wc.bits)
}

// Class returns the bit string of word (normalised as the tokenizer does:
// lower case) and whether it has one.
func (wc *WordClasses) Class(word string) (string, bool) {
	b, ok := wc.bits[word]
	return b, ok
}
