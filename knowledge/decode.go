package knowledge

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/BurntSushi/toml"
)

// pos is a 1-based line and column in a file; the zero value means "unknown".
type pos struct{ line, col int }

// keyIndex maps the dotted path of each key in a TOML text to where it is written:
// "id", "en.title", "sources.1.url" (array tables carry their index). Table headers are
// indexed under their own path ("en", "sources.1").
type keyIndex map[string]pos

// keyLine matches a key at the start of a line: bare ("title") or dotted ("en.title").
var keyLine = regexp.MustCompile(`^([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*=`)

// indexKeys scans src (a TOML text whose first line is line firstLine of its file) for keys.
// It is a line scanner, not a parser: it understands table headers, array tables, bare keys
// and multi-line strings, which is all the editors' files use.
func indexKeys(src string, firstLine int) keyIndex {
	idx := keyIndex{}
	counts := map[string]int{}
	table := ""
	inMulti := false
	for i, line := range strings.Split(src, "\n") {
		n := firstLine + i
		if inMulti {
			if strings.Count(line, `"""`)%2 == 1 {
				inMulti = false
			}
			continue
		}
		trimmed := strings.TrimSpace(line)
		col := len(line) - len(strings.TrimLeft(line, " \t")) + 1
		switch {
		case trimmed == "" || strings.HasPrefix(trimmed, "#"):
			continue
		case strings.HasPrefix(trimmed, "[["):
			name := strings.TrimSpace(strings.Trim(strings.SplitN(trimmed, "]]", 2)[0], "[ "))
			table = name + "." + strconv.Itoa(counts[name])
			counts[name]++
			idx[table] = pos{n, col}
			continue
		case strings.HasPrefix(trimmed, "["):
			table = strings.TrimSpace(strings.Trim(strings.SplitN(trimmed, "]", 2)[0], "[ "))
			idx[table] = pos{n, col}
			continue
		}
		if m := keyLine.FindStringSubmatch(trimmed); m != nil {
			path := strings.Join(strings.Fields(strings.ReplaceAll(m[1], ".", " ")), ".")
			if table != "" {
				path = table + "." + path
			}
			if _, seen := idx[path]; !seen {
				idx[path] = pos{n, col}
			}
		}
		if strings.Count(line, `"""`)%2 == 1 {
			inMulti = true
		}
	}
	return idx
}

// at returns the position of path, or of its nearest indexed parent, or fallback.
func (idx keyIndex) at(path string, fallback pos) pos {
	for path != "" {
		if p, ok := idx[path]; ok {
			return p
		}
		i := strings.LastIndex(path, ".")
		if i < 0 {
			break
		}
		path = path[:i]
	}
	return fallback
}

// find returns the positions of every key whose path, with array indexes removed, is key.
func (idx keyIndex) find(key []string) []pos {
	want := strings.Join(key, ".")
	var out []pos
	for path, p := range idx {
		if stripIndexes(path) == want {
			out = append(out, p)
		}
	}
	return out
}

func stripIndexes(path string) string {
	parts := strings.Split(path, ".")
	kept := parts[:0]
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ".")
}

var errLine = regexp.MustCompile(`line (\d+)`)

// decodeStrict decodes src into v and reports syntax errors, type mismatches and unknown keys
// to c. firstLine is the file line of src's first line. It returns false if v could not be
// decoded at all.
func decodeStrict(c *collector, file, src string, firstLine int, v any) (keyIndex, bool) {
	if !utf8.ValidString(src) {
		line := firstLine + strings.Count(src[:firstInvalid(src)], "\n")
		c.add(file, pos{line, 1}, "the file is not valid UTF-8 text; save it as UTF-8")
		return nil, false
	}
	idx := indexKeys(src, firstLine)
	md, err := toml.Decode(src, v)
	if err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			line := pe.Position.Line
			col := pe.Position.Col
			if pe.Position.Start > 0 && pe.Position.Start <= len(src) {
				lineStart := strings.LastIndex(src[:pe.Position.Start], "\n") + 1
				col = utf8.RuneCountInString(src[lineStart:pe.Position.Start]) + 1 // characters, not bytes
			}
			msg := "invalid TOML: " + pe.Message
			if strings.Contains(pe.Message, "parsing time") {
				msg = "bad date: write dates as YYYY-MM-DD without quotes, e.g. reviewed = 2026-11-26"
			}
			c.add(file, pos{firstLine + line - 1, col}, "%s", msg)
			return idx, false
		}
		p := pos{firstLine, 1}
		if m := errLine.FindStringSubmatch(err.Error()); m != nil {
			n, _ := strconv.Atoi(m[1])
			p = pos{firstLine + n - 1, 1}
		}
		msg := strings.TrimPrefix(err.Error(), "toml: ")
		if i := strings.Index(msg, "): "); i >= 0 && strings.HasPrefix(msg, "line ") {
			msg = msg[i+3:]
		}
		c.add(file, p, "wrong type: %s (dates are written without quotes, e.g. 2026-11-26; lists in [ ])", msg)
		return idx, false
	}
	seen := map[pos]bool{}
	for _, k := range md.Undecoded() {
		ps := idx.find(k)
		if len(ps) == 0 {
			ps = []pos{{firstLine, 1}}
		}
		for _, p := range ps {
			if !seen[p] {
				seen[p] = true
				c.add(file, p, "unknown key %q", k.String())
			}
		}
	}
	return idx, true
}

func firstInvalid(s string) int {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(s[i:]); size == 1 {
				return i
			}
		}
	}
	return len(s)
}
