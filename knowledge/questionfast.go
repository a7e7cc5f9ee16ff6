package knowledge

import (
	"strings"
	"unicode/utf8"
)

// decodeQuestionsFast reads a questions file written in the plain form the asked folder uses –
// comment lines, blank lines, [[q]] headers and the keys text, lang, kommune and source (a
// one-line basic string), want (a one-line array of basic strings) and offtopic and crisis
// (true or false), each once per question – without the TOML decoder. Like
// decodeExamplesFast it reports false for anything else, and the caller then decodes the file
// as TOML, which reports the problem where there is one; for a file it accepts it returns
// exactly what the TOML decoder would (TestFastQuestionsMatchTOML).
//
// Decoding the 8,816 asked questions with the TOML decoder was a tenth of a cold start (0.11 of
// 1.06 s in the profile of a cold `vejviser ask`, 2026-12-04).
func decodeQuestionsFast(src string) ([]Question, bool) {
	if !utf8.ValidString(src) || strings.IndexByte(src, '\r') >= 0 {
		return nil, false
	}
	var out []Question
	var cur *Question
	var seen [7]bool
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
		case t == "[[q]]":
			out = append(out, Question{})
			cur, seen = &out[len(out)-1], [7]bool{}
			continue
		}
		if cur == nil {
			return nil, false
		}
		key, val, ok := strings.Cut(t, "=")
		if !ok {
			return nil, false
		}
		val = strings.TrimLeft(val, " \t")
		var str *string
		var flag *bool
		var n int
		switch strings.TrimRight(key, " \t") {
		case "text":
			str, n = &cur.Text, 0
		case "lang":
			str, n = &cur.Lang, 1
		case "kommune":
			str, n = &cur.Kommune, 2
		case "source":
			str, n = &cur.Source, 3
		case "offtopic":
			flag, n = &cur.Offtopic, 4
		case "crisis":
			flag, n = &cur.Crisis, 5
		case "want":
			n = 6
		default:
			return nil, false
		}
		if seen[n] {
			return nil, false
		}
		seen[n] = true
		switch {
		case str != nil:
			if *str, ok = basicString(val); !ok {
				return nil, false
			}
		case flag != nil:
			switch val {
			case "true":
				*flag = true
			case "false":
			default:
				return nil, false
			}
		default:
			if cur.Want, ok = stringArray(val); !ok {
				return nil, false
			}
		}
	}
	return out, true
}

// stringArray returns the values of v when v is exactly a one-line array of basic strings
// without escapes (["fgu", "kui"], a trailing comma allowed), and false for anything else.
func stringArray(v string) ([]string, bool) {
	if len(v) < 2 || v[0] != '[' || v[len(v)-1] != ']' {
		return nil, false
	}
	body := strings.Trim(v[1:len(v)-1], " \t")
	out := []string{}
	for body != "" {
		if body[0] != '"' {
			return nil, false
		}
		end := strings.IndexByte(body[1:], '"')
		if end < 0 {
			return nil, false
		}
		s, ok := basicString(body[:end+2])
		if !ok || strings.IndexByte(s, '\\') >= 0 || strings.IndexByte(body[:end+2], '\\') >= 0 {
			return nil, false
		}
		out = append(out, s)
		body = strings.TrimLeft(body[end+2:], " \t")
		if body == "" {
			break
		}
		if body[0] != ',' {
			return nil, false
		}
		body = strings.TrimLeft(body[1:], " \t")
	}
	return out, true
}
