package knowledge

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// dirFS reads a testdata folder into memory so cases can overlay files on it.
func dirFS(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		m[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestLoadValid(t *testing.T) {
	base, err := Load(dirFS(t, "testdata/valid"), testNow)
	if err != nil {
		t.Fatalf("Load(testdata/valid) = %v", err)
	}
	if got, want := len(base.Entries), 3; got != want {
		t.Errorf("entries = %d; want %d", got, want)
	}
	if _, ok := base.Entry("fgu"); !ok {
		t.Errorf("Entry(fgu) not found")
	}
	if got := base.ServicesFor("Norddjurs", []string{"fgu", "headspace"}); len(got) != 2 || got[0].Kommune != "Norddjurs" || got[1].Kommune != RegionWide {
		t.Errorf("ServicesFor(Norddjurs, fgu+headspace) = %+v; want the local FGU then the region-wide headspace", got)
	}
	if base.Version == "" {
		t.Errorf("Version is empty")
	}
	if len(base.Crisis.Lines) < 2 {
		t.Errorf("crisis lines = %d; want at least 2", len(base.Crisis.Lines))
	}
}

func TestLoadEmbedded(t *testing.T) {
	base, err := Load(Embedded(), time.Now())
	if err != nil {
		t.Fatalf("the embedded knowledge base does not load:\n%v", err)
	}
	for _, id := range []string{"fgu", "fgu-skoleydelse", "hf-enkeltfag", "hf-enkeltfag-pris", "su-ungdomsuddannelse",
		"su-handicaptillaeg", "su-ekstra-klip", "su-og-saerlige-behov", "ips-ung", "frivillige-erhvervsmentorer",
		"headspace", "kui", "evejledning", "jobcenter-unge", "sps", "ocn-kompetencebevis", "buddy-ordning", "stu",
		"ungdomsuddannelser", "eud", "ordblindhed", "mentor", "fritidsjob", "virksomhedspraktik", "job-med-handicap",
		"misbrug", "ensomhed", "civilsamfund", "krisehjaelp"} {
		if _, ok := base.Entry(id); !ok {
			t.Errorf("required entry %q is missing", id)
		}
	}
	if got, want := len(base.Kommuner), 19; got != want {
		t.Errorf("kommuner = %d; want %d", got, want)
	}
	for _, e := range base.Entries {
		if strings.Contains(e.Body, "1813") || strings.Contains(e.EN.Body, "1813") {
			t.Errorf("%s mentions 1813, Region Hovedstaden's number", e.File)
		}
	}
}

// TestLoadFaults overlays one faulty file from testdata/faults/<case>/ on the valid fixture
// and checks that Load reports the fault with its position.
func TestLoadFaults(t *testing.T) {
	tests := []struct {
		dir  string
		want string // a problem line must contain this
	}{
		{"bad-toml", "entries/fgu.md:4:"},
		{"unknown-key", `entries/fgu.md:3:1: unknown key "titel"`},
		{"unknown-nested-key", `entries/fgu.md:16:1: unknown key "sources.adresse"`},
		{"unknown-dotted-key", `entries/fgu.md:11:1: unknown key "en.titel"`},
		{"bad-toml-column", "entries/fgu.md:6:45: invalid TOML"},
		{"missing-title", `entries/fgu.md:1:1: missing required key "title"`},
		{"missing-en", `missing required key "en.title"`},
		{"missing-sources", "missing required [[sources]]"},
		{"bad-url", `entries/fgu.md:14:1: source 1: bad url "www.borger.dk/`},
		{"duplicate-id", `duplicate id "fgu"`},
		{"id-mismatch", `id "fgu-x" does not match the file name "fgu.md"`},
		{"no-front-matter", "entries/fgu.md:1:1: the file must start with a line +++"},
		{"unclosed-front-matter", "the front matter is never closed"},
		{"date-as-string", "entries/fgu.md:7:13: bad date: write dates as YYYY-MM-DD"},
		{"wrong-type", "entries/fgu.md:8:1: wrong type"},
		{"unknown-kind", `entries/fgu.md:9:1: unknown service kind "psykolog"`},
		{"unknown-audience", `unknown audience "elever"`},
		{"unknown-related", `related entry "findes-ikke" does not exist`},
		{"part-of-unknown", `entries/fgu.md:11:1: part_of entry "findes-ikke" does not exist`},
		{"part-of-self", "entries/fgu.md:11:1: part_of names the entry itself"},
		{"part-of-chain", `entries/fgu.md:11:1: part_of entry "headspace" is itself part of "krisehjaelp"`},
		{"future-review", "is in the future"},
		{"service-unknown-kommune", `services/norddjurs.toml:1:1: unknown kommune "Nordjurs"`},
		{"service-unknown-kind", `services/norddjurs.toml:4:1: unknown service kind "ungdomsvejledning"`},
		{"service-bad-phone", `services/norddjurs.toml:7:1: phone "ring 112"`},
		{"service-confirmed-without-date", `needs verified (the date) and verified_how`},
		{"kommune-without-fgu", `kommune Norddjurs has no service of kind "fgu"`},
		{"crisis-one-line", "at least two [[line]]s"},
		{"example-question-copied", `entries/fgu.md:12:1: example question "Hvad er FGU?" copies a question of questions.toml`},
		{"crisis-rule-unknown-concept", `crisis.toml:7:1: rule uses unknown concept "selvmord"`},
		{"crisis-within-bad", `crisis.toml:7:1: concept "danger" is within unknown concept "fare"`},
		{"crisis-within-bad", `crisis.toml:12:1: concept "epipen" is within "danger", which is itself within "fare"`},
		{"crisis-support-overrule", `crisis.toml:12:1: overrule is for acute rules only`},
		{"crisis-rule-alone", `crisis.toml:12:1: alone 1: use 2–8 words`},
		{"crisis-bad-example", `crisis-examples/bad.toml:3:1: tier "akut"`},
		{"crisis-bad-example", `crisis-examples/bad.toml:10:1: unknown key "example.sprog"`},
		{"crisis-bad-word", `"selv*mord": * may only end or start a word`},
		{"crisis-line-stamped-verified", `verified needs verified_how`},
		{"crisis-missing", "crisis.toml: cannot read the file"},
		{"town-twice", `town "Grenaa" is listed under both Norddjurs and Ringkøbing-Skjern`},
		{"question-unknown-id", `questions.toml:3:1: unknown entry id "fgx"`},
		{"asked-bad", `asked/bad.toml:3:1: unknown entry id "fgx"`},
		{"asked-bad", `asked/bad.toml:6:1: question without text`},
		{"asked-bad", `asked/bad.toml:12:1: unknown key "q.sprog"`},
		{"invalid-utf8", "not valid UTF-8"},
		{"no-crisis-entry", `the entry "krisehjaelp" is missing`},
		{"outside-bad", `outside.toml:2:1: outside topic id "fgu" is also an entry's id`},
		{"outside-bad", `outside.toml:8:1: outside topic "skat" needs a title`},
		{"outside-bad", `outside.toml:9:1: outside topic "skat" needs example questions`},
		{"outside-bad", `outside.toml:12:1: outside topic id "skat" is used twice`},
		{"outside-bad", `outside.toml:14:1: outside topic "skat" has an empty question or keyword`},
		{"outside-bad", `outside.toml:17:1: outside topic id "Skat Nu" must be lowercase letters`},
	}
	for _, tt := range tests {
		t.Run(tt.dir, func(t *testing.T) {
			fsys := dirFS(t, "testdata/valid")
			overlay := filepath.Join("testdata/faults", tt.dir)
			for name, f := range dirFS(t, overlay) {
				if strings.HasSuffix(name, ".delete") {
					delete(fsys, strings.TrimSuffix(name, ".delete"))
					continue
				}
				fsys[name] = f
			}
			base, err := Load(fsys, testNow)
			if err == nil {
				t.Fatalf("Load = %d entries, no error; want a problem containing %q", len(base.Entries), tt.want)
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Load error %T is not Problems: %v", err, err)
			}
			found := false
			for _, p := range ps {
				found = found || strings.Contains(p.String(), tt.want)
			}
			if !found {
				t.Errorf("problems:\n%v\nwant one containing %q", err, tt.want)
			}
		})
	}
}

// TestLoadAsked checks that the questions of asked/ that an entry answers reach Base.Asked,
// with their entries, as do off-topic ones, and that crisis questions and questions with
// neither entries nor a mark do not.
func TestLoadAsked(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	fsys["asked/set.toml"] = &fstest.MapFile{Data: []byte(`[[q]]
text = "min søn laver ingenting, kan han komme på fgu"
want = ["fgu", "headspace"]

[[q]]
text = "hvornår er der valg"
offtopic = true

[[q]]
text = "jeg vil ikke leve mere"
crisis = true
want = ["krisehjaelp"]

[[q]]
text = "hvad med mig"
`)}
	base, err := Load(fsys, testNow)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	var got []string
	for _, q := range base.Asked {
		got = append(got, fmt.Sprintf("%s → %s off=%v", q.Text, strings.Join(q.Want, ","), q.Offtopic))
	}
	want := []string{"min søn laver ingenting, kan han komme på fgu → fgu,headspace off=false", "hvornår er der valg →  off=true"}
	if !slices.Equal(got, want) {
		t.Errorf("Asked = %q, want %q", got, want)
	}
}

func TestStaleReviewIsWarning(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	base, err := Load(fsys, testNow.AddDate(2, 0, 0))
	if err != nil {
		t.Fatalf("Load two years on = %v; want only warnings", err)
	}
	var got []string
	for _, w := range base.Warnings {
		if strings.Contains(w.Msg, "review is due") {
			got = append(got, w.File)
		}
	}
	if len(got) != 3 {
		t.Errorf("stale-review warnings for %v; want all 3 entries", got)
	}
}

func TestReportsEveryBadFile(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	fsys["entries/fgu.md"].Data = []byte(strings.Replace(string(fsys["entries/fgu.md"].Data), "title =", "titel =", 1))
	fsys["entries/headspace.md"].Data = []byte(strings.Replace(string(fsys["entries/headspace.md"].Data), "summary =", "sumary =", 1))
	_, err := Load(fsys, testNow)
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v; want Problems", err)
	}
	files := map[string]bool{}
	for _, p := range ps.Errors() {
		files[p.File] = true
	}
	if !files["entries/fgu.md"] || !files["entries/headspace.md"] {
		t.Errorf("problems in %v; want both bad files reported in one run", files)
	}
}

// TestLoadQuestionsWarnsUnlabelled checks that a question with nothing to measure but its
// language (an off-topic question written as want = []) is named in a warning and still loads,
// while unknown keys stay warnings and a bad lang stays an error.
func TestLoadQuestionsWarnsUnlabelled(t *testing.T) {
	fsys := fstest.MapFS{
		"ok.toml": {Data: []byte(`[[q]]
text = "hvad er fgu"
want = ["fgu"]
source = "https://example.org/faq"

[[q]]
text = "hvordan får man kørekort"
want = []

[[q]]
text = "hvad koster en pizza"
offtopic = true
`)},
		"bad.toml": {Data: []byte("[[q]]\ntext = \"hej\"\nlang = \"de\"\n")},
	}
	qs, warnings, err := LoadQuestions(fsys, "ok.toml")
	if err != nil {
		t.Fatalf("LoadQuestions(ok.toml): %v", err)
	}
	if got, want := len(qs), 3; got != want {
		t.Errorf("questions = %d; want %d", got, want)
	}
	if got, want := len(warnings), 1; got != want {
		t.Fatalf("warnings = %v; want %d", warnings, want)
	}
	if w := warnings[0]; !w.Warning || w.Line != 6 || !strings.Contains(w.Msg, "kørekort") {
		t.Errorf("warning = %+v; want one on line 6 naming the question", w)
	}
	if _, _, err := LoadQuestions(fsys, "bad.toml"); err == nil {
		t.Error("LoadQuestions(bad.toml) = nil error; want the bad lang reported")
	}
}

// TestCrisisWordTwiceIsWarning checks that a word written twice in one word family is a
// warning with its line – harmless to the detector, but clutter an editor should clean up.
func TestCrisisWordTwiceIsWarning(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	fsys["crisis.toml"].Data = []byte(strings.Replace(string(fsys["crisis.toml"].Data),
		`words = ["mig", "me", "meg", "mej"]`, `words = ["mig", "me", "meg", "mej", "me"]`, 1))
	got := warningsAbout(t, fsys, "stands twice")
	if len(got) != 1 || !strings.Contains(got[0], `"me" stands twice`) || !strings.HasPrefix(got[0], "crisis.toml:29 ") {
		t.Errorf("warnings about twice-written words = %v; want one for \"me\" at crisis.toml:29", got)
	}
}

// TestSharedAliasIsWarning checks that an alias two entries share is named in a warning on the
// later entry, and that the base still loads.
func TestSharedAliasIsWarning(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	for _, name := range []string{"entries/fgu.md", "entries/headspace.md"} {
		src := string(fsys[name].Data)
		fsys[name].Data = []byte(strings.Replace(src, "\ntitle =", "\naliases = [\"FGU\"]\ntitle =", 1))
	}
	got := warningsAbout(t, fsys, "also names")
	if want := "entries/headspace.md"; len(got) != 1 || !strings.HasPrefix(got[0], want) || !strings.Contains(got[0], "fgu") {
		t.Errorf("shared-alias warnings = %q; want one on %s naming fgu", got, want)
	}
}

// warningsAbout loads fsys, which must load with warnings only, and returns its warnings whose
// message contains about, each as "file:line message".
func warningsAbout(t *testing.T, fsys fstest.MapFS, about string) []string {
	t.Helper()
	base, err := Load(fsys, testNow)
	if err != nil {
		t.Fatalf("Load = %v; want only warnings", err)
	}
	var got []string
	for _, w := range base.Warnings {
		if strings.Contains(w.Msg, about) {
			got = append(got, fmt.Sprintf("%s:%d %s", w.File, w.Line, w.Msg))
		}
	}
	return got
}

// TestExampleFilesDecodedSideBySide checks that the crisis example files, decoded side by
// side, give the same problems in the same (file) order and the same examples as one after
// another.
func TestExampleFilesDecodedSideBySide(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	good := "[[example]]\ntext = \"%s\"\ntier = \"none\"\nkind = \"ordinary\"\nlang = \"da\"\n\n"
	for i := range 12 {
		var b strings.Builder
		for j := range 20 {
			fmt.Fprintf(&b, good, fmt.Sprintf("spørgsmål %d om fil %d", j, i))
		}
		if i%4 == 1 { // every fourth file has a bad label and an unknown key
			b.WriteString("[[example]]\ntext = \"x\"\ntier = \"akut\"\nkind = \"idiom\"\nlang = \"da\"\nsprog = \"da\"\n")
		}
		fsys[fmt.Sprintf("crisis-examples/side-%02d.toml", i)] = &fstest.MapFile{Data: []byte(b.String())}
	}
	load := func(procs int) (string, int) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		base, err := Load(fsys, testNow)
		var ps Problems
		if !errors.As(err, &ps) {
			t.Fatalf("Load with %d procs: %v; want problems", procs, err)
		}
		n := 0
		if base != nil {
			n = len(base.Crisis.Examples)
		}
		return ps.Error(), n
	}
	gotProblems, gotN := load(4)
	wantProblems, wantN := load(1)
	if gotProblems != wantProblems || gotN != wantN {
		t.Errorf("side by side: %d examples, problems\n%s\none by one: %d examples, problems\n%s", gotN, gotProblems, wantN, wantProblems)
	}
	for _, f := range []string{"side-01", "side-05", "side-09"} {
		if !strings.Contains(gotProblems, "crisis-examples/"+f+".toml") {
			t.Errorf("problems lack %s:\n%s", f, gotProblems)
		}
	}
	if i, j := strings.Index(gotProblems, "side-01"), strings.Index(gotProblems, "side-05"); i > j {
		t.Errorf("problems not in file order:\n%s", gotProblems)
	}
}

// TestLoadCrisisModel checks crisis.model: read as it is when present, nothing when absent, and a
// file over MaxCrisisModelSize or a folder in its place is a warning, not an error – the bot
// then trains the classifier as without the file.
func TestLoadCrisisModel(t *testing.T) {
	model := []byte("a classifier\x00\x01\x02")
	tests := []struct {
		name      string
		file      *fstest.MapFile
		want      []byte
		wantWarns int
	}{
		{"absent", nil, nil, 0},
		{"present", &fstest.MapFile{Data: model}, model, 0},
		{"too big", &fstest.MapFile{Data: make([]byte, MaxCrisisModelSize+1)}, nil, 1},
		{"a folder", &fstest.MapFile{Mode: fs.ModeDir}, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := dirFS(t, "testdata/valid")
			if tt.file != nil {
				fsys[CrisisModelFile] = tt.file
			}
			base, err := Load(fsys, testNow)
			if err != nil {
				t.Fatalf("Load = %v; want no errors", err)
			}
			if got := base.Crisis.Model; !bytes.Equal(got, tt.want) {
				t.Errorf("Crisis.Model = %d bytes; want %d", len(got), len(tt.want))
			}
			var warns []string
			for _, w := range base.Warnings {
				if w.File == CrisisModelFile {
					warns = append(warns, w.Localized("da"))
				}
			}
			if len(warns) != tt.wantWarns {
				t.Errorf("warnings about %s = %q; want %d", CrisisModelFile, warns, tt.wantWarns)
			}
		})
	}
}

// TestCopiedOutsideQuestions checks that an outside topic's example question that copies an
// evaluation question is reported with the topic and the file, in its own words.
func TestCopiedOutsideQuestions(t *testing.T) {
	base := &Base{Outside: []OutsideTopic{{ID: "skat", Title: "skat", Questions: []string{"Hvordan får jeg et skattekort?"}}}}
	ps := CopiedQuestions(base, map[string]string{QuestionKey("hvordan faar jeg et skattekort"): "questions.toml"})
	if len(ps) != 1 {
		t.Fatalf("CopiedQuestions = %v; want one problem", ps)
	}
	got, want := ps[0].String(), `outside.toml: example question "Hvordan får jeg et skattekort?" of outside topic "skat" copies a question of questions.toml`
	if !strings.HasPrefix(got, want) {
		t.Errorf("problem = %q; want it to start with %q", got, want)
	}
	if ps := CopiedQuestions(base, map[string]string{QuestionKey("hvad er fgu"): "questions.toml"}); len(ps) != 0 {
		t.Errorf("CopiedQuestions with no copy = %v; want none", ps)
	}
}

// TestLoadForServing checks that LoadForServing leaves crisis examples undecoded exactly when
// crisis.model names the digest of their files' bytes: it then decodes them on first use into
// what Load decodes, the digest and the base's version are Load's, and example files of any
// other bytes – one broken since the classifier was trained – are decoded and checked at once.
func TestLoadForServing(t *testing.T) {
	fsys := dirFS(t, "testdata/valid")
	good := "# a comment\n[[example]]\ntext = \"%s\"\ntier = \"%s\"\nkind = \"%s\"\nlang = \"da\"\n\n"
	for i, ex := range [][3]string{{"jeg vil ikke leve mere", "acute", "direct"}, {"hvad er fgu", "none", "ordinary"}, {"jeg er så ked af det", "support", "distress"}} {
		fsys[fmt.Sprintf("crisis-examples/ex-%d.toml", i)] = &fstest.MapFile{Data: []byte(fmt.Sprintf(good, ex[0], ex[1], ex[2]))}
	}
	eager, err := Load(fsys, testNow)
	if err != nil {
		t.Fatal(err)
	}
	digest, ok := eager.Crisis.ExamplesDigest()
	if !ok || len(digest) != 64 || len(eager.Crisis.Examples) != 3 {
		t.Fatalf("Load: digest %q (%v), %d examples; want a SHA-256 and 3", digest, ok, len(eager.Crisis.Examples))
	}
	model := func(d string) []byte { return []byte(CrisisModelHeader + "examples " + d + "\nkey\nclassifier") }

	fsys[CrisisModelFile] = &fstest.MapFile{Data: model(digest)}
	served, err := LoadForServing(fsys, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if served.Crisis.Examples != nil || served.Crisis.source.lazy == nil {
		t.Fatalf("LoadForServing decoded %d examples; want none until they are used", len(served.Crisis.Examples))
	}
	if got, ok := served.Crisis.ExamplesDigest(); got != digest || !ok {
		t.Errorf("LoadForServing: digest %q (%v); want Load's %q", got, ok, digest)
	}
	if served.Version != eager.Version {
		t.Errorf("LoadForServing: version %s; Load %s", served.Version, eager.Version)
	}
	if got, want := served.Crisis.LabelledExamples(), eager.Crisis.Examples; !reflect.DeepEqual(got, want) {
		t.Errorf("LabelledExamples after LoadForServing:\n%+v\nLoad's Examples:\n%+v", got, want)
	}
	later, err := LoadForServing(fsys, testNow)
	if err != nil {
		t.Fatal(err)
	}
	saved := fsys["crisis-examples/ex-2.toml"].Data
	fsys["crisis-examples/ex-2.toml"].Data = []byte(fmt.Sprintf(good, "en anden besked", "none", "ordinary"))
	if got := later.Crisis.LabelledExamples(); len(got) != 2 || got[1].Text != "hvad er fgu" {
		t.Errorf("LabelledExamples after a file changed since the load: %+v; want the two unchanged files' examples", got)
	}
	fsys["crisis-examples/ex-2.toml"].Data = saved
	if again, err := Load(fsys, testNow); err != nil || len(again.Crisis.Examples) != 3 {
		t.Errorf("Load with crisis.model naming the examples: %v; want all 3 decoded, as check and train need", err)
	}

	fsys[CrisisModelFile] = &fstest.MapFile{Data: model(strings.Repeat("0", 64))}
	if other, err := LoadForServing(fsys, testNow); err != nil || len(other.Crisis.Examples) != 3 {
		t.Errorf("LoadForServing with crisis.model from other examples: %v; want all 3 decoded", err)
	}

	fsys[CrisisModelFile] = &fstest.MapFile{Data: model(digest)}
	fsys["crisis-examples/ex-1.toml"].Data = append(slices.Clone(fsys["crisis-examples/ex-1.toml"].Data), "[[example]]\ntext = \"x\"\ntier = \"akut\"\n"...)
	_, err = LoadForServing(fsys, testNow)
	if err == nil || !strings.Contains(err.Error(), "crisis-examples/ex-1.toml") {
		t.Errorf("LoadForServing after an example file broke: %v; want its problem", err)
	}

	replaced := eager.Crisis
	replaced.Examples = slices.Clone(replaced.Examples)
	if _, ok := replaced.ExamplesDigest(); ok {
		t.Error("ExamplesDigest holds for examples that replaced the loaded ones")
	}
	if _, ok := (Crisis{Examples: eager.Crisis.Examples[:1]}).ExamplesDigest(); ok {
		t.Error("ExamplesDigest holds for a Crisis built by hand")
	}
}
