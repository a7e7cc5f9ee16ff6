package knowledge

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitFrontMatter checks that splitting never panics and that a split file's parts are
// taken from the input.
func FuzzSplitFrontMatter(f *testing.F) {
	f.Add("+++\nid = \"x\"\n+++\nbody\n")
	f.Add("+++\n+++")
	f.Add("+++ \n\n+++ \n")
	f.Add("no front matter")
	f.Add("+++\nid = \"x\"\n")
	f.Fuzz(func(t *testing.T, src string) {
		front, body, line, err := SplitFrontMatter(src)
		if err != nil {
			return
		}
		if !strings.Contains(src, front) || !strings.Contains(src, body) {
			t.Fatalf("parts not from the input: %q %q", front, body)
		}
		if line < 3 {
			t.Fatalf("body line %d; the body starts after two +++ lines", line)
		}
	})
}

// FuzzParseEntry feeds arbitrary entry files to the loader: it must never panic, and every
// problem it reports must point inside the file.
func FuzzParseEntry(f *testing.F) {
	valid := dirFSForFuzz()
	f.Add(valid)
	f.Add("+++\nid = \"fgu\"\ntitel = \"x\"\n+++\n")
	f.Add("+++\n[[sources]]\nurl = 3\n+++\n")
	f.Add("+++\nreviewed = 2026-13-45\n+++\n")
	f.Add("+++\n\"\"\"\n+++\n")
	f.Add("+++\nid = \"fgu\"\n[en]\nbody = \"\"\"\n+++\n\"\"\"\n+++\nx")
	f.Fuzz(func(t *testing.T, src string) {
		l := &loader{now: testNow, base: &Base{byID: map[string]*Entry{}}}
		l.parseEntry("entries/fgu.md", src)
		lines := strings.Count(src, "\n") + 1
		for _, p := range l.c.ps {
			if p.Line < 0 || p.Line > lines+1 || p.Col < 0 {
				t.Fatalf("problem %v points outside the %d-line file", p, lines)
			}
			if !utf8.ValidString(p.Msg) && utf8.ValidString(src) {
				t.Fatalf("problem message is not UTF-8: %q", p.Msg)
			}
		}
	})
}

func dirFSForFuzz() string {
	return "+++\nid = \"fgu\"\ntitle = \"FGU\"\nsummary = \"FGU er en skole.\"\nkeywords = [\"fgu\"]\n" +
		"audience = [\"unge\"]\nreviewed = 2026-11-26\n[[sources]]\ntitle = \"x\"\nurl = \"https://x.dk\"\n" +
		"[en]\ntitle = \"FGU\"\nsummary = \"FGU is a school.\"\nkeywords = [\"fgu\"]\n+++\nBody\n"
}
