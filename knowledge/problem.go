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
	Msg     string
	Warning bool // a warning does not stop the base from loading
}

// String formats the problem as "file:line:col: message", the form editors and editors'
// tools understand; warnings are prefixed "warning: ".
func (p Problem) String() string {
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
		b.WriteString("warning: ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error implements error.
func (p Problem) Error() string { return p.String() }

// Problems is every fault found in one load. As an error it lists them one per line; it
// unwraps to the individual Problems.
type Problems []Problem

// Error implements error.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
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

// collector gathers problems while loading.
type collector struct{ ps Problems }

func (c *collector) add(file string, pos pos, format string, args ...any) {
	c.ps = append(c.ps, Problem{File: file, Line: pos.line, Col: pos.col, Msg: fmt.Sprintf(format, args...)})
}

func (c *collector) warn(file string, pos pos, format string, args ...any) {
	c.ps = append(c.ps, Problem{File: file, Line: pos.line, Col: pos.col, Msg: fmt.Sprintf(format, args...), Warning: true})
}
