package knowledge

import (
	"fmt"
	"strings"
)

// Problem is one fault in a knowledge file, with its position. Lines and columns count from 1
// at the top of the file (the front matter included); zero means unknown.
type Problem struct {
	File    string
	Line    int
	Col     int
	Msg     string // the message in English
	Warning bool   // a warning does not stop the base from loading

	// format and args are the message before formatting: format is the English format
	// string, the key of the Danish catalogue (messages.go). Problems built outside the
	// package have none, and are shown as Msg in every language.
	format string
	args   []any
}

// String formats the problem in English as "file:line:col: message", the form editors and
// editors' tools understand; warnings are prefixed "warning: ".
func (p Problem) String() string { return p.layout("en", p.Msg) }

// Localized formats the problem like String in lang: "da" for Danish ("advarsel: " before a
// warning), anything else for English. A message without a Danish translation stays English.
func (p Problem) Localized(lang string) string {
	msg := p.Msg
	if p.format != "" {
		msg = message{p.format, p.args}.render(lang)
	}
	return p.layout(lang, msg)
}

func (p Problem) layout(lang, msg string) string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
		if p.Col > 0 {
			fmt.Fprintf(&b, ":%d", p.Col)
		}
	}
	b.WriteString(": ")
	if p.Warning {
		if lang == "da" {
			b.WriteString("advarsel: ")
		} else {
			b.WriteString("warning: ")
		}
	}
	b.WriteString(msg)
	return b.String()
}

// Error implements error.
func (p Problem) Error() string { return p.String() }

// Problems is every fault found in one load. As an error it lists them one per line; it
// unwraps to the individual Problems.
type Problems []Problem

// Error implements error.
func (ps Problems) Error() string { return ps.Localized("en") }

// Localized lists the problems one per line in lang ("da" or "en"), as Problem.Localized.
func (ps Problems) Localized(lang string) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Localized(lang)
	}
	return strings.Join(lines, "\n")
}

// Unwrap returns the problems as errors.
func (ps Problems) Unwrap() []error {
	errs := make([]error, len(ps))
	for i, p := range ps {
		errs[i] = p
	}
	return errs
}

// Errors returns the problems that are not warnings.
func (ps Problems) Errors() Problems {
	var out Problems
	for _, p := range ps {
		if !p.Warning {
			out = append(out, p)
		}
	}
	return out
}

// MaxProblemsPerFile is how many problems are reported for one file; beyond it one line says
// there are more. An editor fixes the first ones first, and a hostile file of a million faults
// cannot fill memory or the terminal.
const MaxProblemsPerFile = 100

// collector gathers problems while loading.
//
// Every message passes through add or warn with a literal English format string, which
// messages_test.go checks against the Danish catalogue.
type collector struct {
	ps Problems
	// perFile counts the problems reported per file, against MaxProblemsPerFile.
	perFile map[string]int
	// badLines holds, per file, the lines of values that could not be decoded (a date in
	// quotes, text where a number belongs). Those values were left out so the rest of the
	// file could be checked; a later problem reported on such a line follows from the
	// decoding error already reported there and is dropped.
	badLines map[string]map[int]bool
	// badKeys holds, per file, the dotted paths of those values ("reviewed",
	// "service.2.status"), so that checks can tell "missing" from "written but unreadable".
	badKeys map[string]map[string]bool
}

// add reports an error.
func (c *collector) add(file string, pos pos, format string, args ...any) {
	c.report(file, pos, false, format, args)
}

// warn reports a warning.
func (c *collector) warn(file string, pos pos, format string, args ...any) {
	c.report(file, pos, true, format, args)
}

func (c *collector) report(file string, pos pos, warning bool, format string, args []any) {
	if pos.line > 0 && c.badLines[file][pos.line] {
		return
	}
	if c.perFile == nil {
		c.perFile = map[string]int{}
	}
	c.perFile[file]++
	switch n := c.perFile[file]; {
	case n == MaxProblemsPerFile+1:
		m := msgf("more than %d problems in this file; the rest are not shown – fix these first", MaxProblemsPerFile)
		format, args, warning = m.format, m.args, false
	case n > MaxProblemsPerFile:
		return
	}
	c.ps = append(c.ps, Problem{File: file, Line: pos.line, Col: pos.col, Msg: fmt.Sprintf(format, args...),
		Warning: warning, format: format, args: args})
}

// merge adds the problems and unreadable values of file that o collected, as if they had
// been reported to c; c must hold nothing about file yet.
func (c *collector) merge(file string, o *collector) {
	c.ps = append(c.ps, o.ps...)
	if n := o.perFile[file]; n > 0 {
		if c.perFile == nil {
			c.perFile = map[string]int{}
		}
		c.perFile[file] = n
	}
	if o.badKeys[file] != nil {
		if c.badKeys == nil {
			c.badKeys = map[string]map[string]bool{}
			c.badLines = map[string]map[int]bool{}
		}
		c.badKeys[file], c.badLines[file] = o.badKeys[file], o.badLines[file]
	}
}

// markBad records that the value at key (a dotted path with array indexes, as keyIndex
// names it) in file, written at line (0 if unknown), could not be decoded.
func (c *collector) markBad(file, key string, line int) {
	if c.badKeys == nil {
		c.badKeys = map[string]map[string]bool{}
		c.badLines = map[string]map[int]bool{}
	}
	if c.badKeys[file] == nil {
		c.badKeys[file] = map[string]bool{}
		c.badLines[file] = map[int]bool{}
	}
	c.badKeys[file][key] = true
	if line > 0 {
		c.badLines[file][line] = true
	}
}

// isBad reports whether key (a dotted path with array indexes: "id", "service.2.status") or
// a table above it was written in file but could not be decoded: a check that finds it empty
// must not call it missing.
func (c *collector) isBad(file, key string) bool {
	for key != "" {
		if c.badKeys[file][key] {
			return true
		}
		i := strings.LastIndex(key, ".")
		if i < 0 {
			break
		}
		key = key[:i]
	}
	return false
}
