package knowledge

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// decodeExamplesFast reads a crisis-example file written in the plain form the editors' guide
// shows – comment lines, blank lines, [[example]] headers and the keys text, tier, kind and
// lang, each once per example, with a one-line basic string as its value – without the TOML
// decoder. It reports false for anything else (another key, a duplicate, a multi-line or
// literal string, a trailing comment, an escape TOML does not know, a control character, a line
// over MaxLineBytes), and the caller then decodes the file as TOML, which reports the problem
// where there is one. For a file it accepts, it returns exactly what the TOML decoder would
// (TestFastExamplesMatchTOML); the labels are checked by the caller either way.
//
// Decoding the example files with the TOML decoder was about a quarter of a cold start that
// reads a stored classifier (0.25–0.3 s of 1.03–1.28 s for 94,160 examples, thirteenth session).
func decodeExamplesFast(src string) ([]CrisisExample, bool) {
	if !utf8.ValidString(src) || strings.IndexByte(src, '\r') >= 0 {
		return nil, false
	}
	var out []CrisisExample
	var cur *CrisisExample
	var seen [4]bool // text, tier, kind, lang in the current example
	for rest := src; rest != ""; {
		line := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if len(line) > MaxLineBytes {
			return nil, false
		}
		t := strings.Trim(line, " \t")
		switch {
		case t == "":
			continue
		case t[0] == '#':
			if !plainComment(t) {
				return nil, false
			}
			continue
		case t == "[[example]]":
			out = append(out, CrisisExample{})
			cur, seen = &out[len(out)-1], [4]bool{}
			continue
		}
		if cur == nil {
			return nil, false
		}
		key, val, ok := strings.Cut(t, "=")
		if !ok {
			return nil, false
		}
		var field *string
		var n int
		switch strings.TrimRight(key, " \t") {
		case "text":
			field, n = &cur.Text, 0
		case "tier":
			field, n = &cur.Tier, 1
		case "kind":
			field, n = &cur.Kind, 2
		case "lang":
			field, n = &cur.Lang, 3
		default:
			return nil, false
		}
		if seen[n] {
			return nil, false
		}
		seen[n] = true
		s, ok := basicString(strings.TrimLeft(val, " \t"))
		if !ok {
			return nil, false
		}
		*field = s
	}
	return out, true
}

// plainComment reports whether a comment line holds only characters TOML allows in a comment
// (no control characters other than tab).
func plainComment(t string) bool {
	for _, r := range t {
		if (r < 0x20 && r != '\t') || r == 0x7f {
			return false
		}
	}
	return true
}

// basicString returns the value of v when v is exactly one TOML basic string on one line
// ("…" with TOML's escapes), and false for anything else.
func basicString(v string) (string, bool) {
	if len(v) < 2 || v[0] != '"' || v[len(v)-1] != '"' || strings.HasPrefix(v, `"""`) {
		return "", false
	}
	body := v[1 : len(v)-1]
	if strings.IndexByte(body, '\\') < 0 {
		for _, r := range body {
			if r == '"' || (r < 0x20 && r != '\t') || r == 0x7f {
				return "", false
			}
		}
		return body, true
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); {
		c := body[i]
		switch {
		case c == '"' || (c < 0x20 && c != '\t') || c == 0x7f:
			return "", false
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(body) {
			return "", false
		}
		switch e := body[i+1]; e {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case '"':
			b.WriteByte('"')
		case '\\':
			b.WriteByte('\\')
		case 'u', 'U':
			size := 4
			if e == 'U' {
				size = 8
			}
			if i+2+size > len(body) {
				return "", false
			}
			code, err := strconv.ParseUint(body[i+2:i+2+size], 16, 32)
			if err != nil || !utf8.ValidRune(rune(code)) {
				return "", false
			}
			b.WriteRune(rune(code))
			i += 2 + size
			continue
		default:
			return "", false
		}
		i += 2
	}
	return b.String(), true
}
